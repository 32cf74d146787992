// Writes status through the status subresource, only when it changed: GET the object, merge
// our status into the live one (status-merge.ts), compare ignoring lastTransitionTime, and PUT
// /status with the resourceVersion read; a 409 Conflict is retried on a fresh GET, a 404 (the
// object is gone) is not an error. observedGeneration is whatever the caller computed it for.
import type { Logger } from "@gatehouse/runtime";
import { isConflict, isNotFound } from "./api-error";
import type { ApiObject, ApiResourceRef } from "./api-resource";
import type { KubeClient } from "./kube-client";
import { mergeStatus, sameStatus } from "./status-merge";

export interface StatusWriterOptions {
  client: KubeClient;
  /** Our controllerName: route parents[] / policy ancestors[] entries with another one are left alone. */
  controllerName: string;
  /** Attempts on 409 Conflict before giving up. */
  maxConflictRetries?: number;
  logger?: Logger;
  /** The clock for new lastTransitionTimes (tests pin it). */
  now?: () => Date;
}

export interface StatusWrite {
  resource: ApiResourceRef;
  namespace?: string;
  name: string;
  status: Record<string, unknown>;
}

export type StatusWriteResult = "written" | "unchanged" | "not-found";

export class StatusWriter {
  constructor(private readonly opts: StatusWriterOptions) {}

  async write(w: StatusWrite): Promise<StatusWriteResult> {
    const { client, controllerName } = this.opts;
    const attempts = (this.opts.maxConflictRetries ?? 5) + 1;
    for (let attempt = 1; ; attempt++) {
      let live: ApiObject;
      try {
        live = await client.get(w.resource, w.namespace, w.name);
      } catch (err) {
        if (isNotFound(err)) return "not-found";
        throw err;
      }
      const liveStatus = live.status as Record<string, unknown> | undefined;
      const now = (this.opts.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z");
      const desired = mergeStatus(liveStatus, w.status, controllerName, now);
      if (sameStatus(liveStatus ?? {}, desired)) return "unchanged";
      try {
        await client.replaceStatus(w.resource, { ...live, status: desired });
        return "written";
      } catch (err) {
        if (isNotFound(err)) return "not-found";
        if (!isConflict(err) || attempt >= attempts) throw err;
        this.opts.logger?.debug({ kind: w.resource.kind, namespace: w.namespace, name: w.name, attempt }, "status write conflicted; retrying on the fresh object");
      }
    }
  }
}
