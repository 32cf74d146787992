// A broken manifest file reported as a Kubernetes Event in `resources`: the object kind a
// controller uses to tell users about problems. The watcher owns `resources`, so this
// keeps "one writer per bucket"; the translator ignores Events and `gatehouse status`
// lists them.
import { createHash } from "node:crypto";
import type { KubeObject } from "@gatehouse/kube";

export const FILE_ERROR_REASON = "InvalidManifest";
export const EVENT_NAMESPACE = "default";

export function fileErrorEventName(path: string): string {
  return `gatehouse-file-${createHash("sha256").update(path).digest("hex").slice(0, 16)}`;
}

export function fileErrorEvent(path: string, message: string, at: Date): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: fileErrorEventName(path), namespace: EVENT_NAMESPACE },
    type: "Warning",
    reason: FILE_ERROR_REASON,
    message,
    source: { component: "gatehouse-watcher" },
    involvedObject: { kind: "File", name: path },
    lastTimestamp: at.toISOString(),
  };
}
