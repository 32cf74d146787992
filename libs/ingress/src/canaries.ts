// A canary Ingress's backends attached to the primary entries they shadow.
import type { CanarySettings } from "./annotations/family";
import type { ServiceRef } from "./backends";
import type { ObjectRef } from "@gatehouse/kube";

export interface CanaryBackend {
  backend: ServiceRef;
  canary: CanarySettings;
  from: ObjectRef;
}

/** The match of the Cookie header carrying `name=always`, as ingress-nginx's canary-by-cookie. */
export function cookieRegex(name: string): string {
  const escaped = name.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
  return `(.*;\\s*)?${escaped}=always(;.*)?`;
}
