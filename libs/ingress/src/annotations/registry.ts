// The annotation families, in the order they are applied, and the reading of one Ingress's
// annotations into IngressSettings. Controller annotations no family knows (ingress-nginx's
// and NGINX Inc.'s) are reported as not carried over.
import type { ReportBuilder } from "../report";
import { backendProtocol } from "./backend-protocol";
import { canary } from "./canary";
import { cors } from "./cors";
import { defaultSettings, NGINX, NGINX_ORG, type AnnotationFamily, type IngressSettings } from "./family";
import { redirects } from "./redirects";
import { rewrite } from "./rewrite";
import { sourceRange } from "./source-range";
import { sslPassthrough } from "./ssl-passthrough";
import { sslRedirect } from "./ssl-redirect";
import { timeouts } from "./timeouts";
import { upstreamVhost } from "./upstream-vhost";

export const ANNOTATION_FAMILIES: readonly AnnotationFamily[] = [
  sslRedirect,
  rewrite,
  canary,
  backendProtocol,
  timeouts,
  cors,
  redirects,
  upstreamVhost,
  sourceRange,
  sslPassthrough,
];

const CONTROLLER_PREFIXES = [NGINX, NGINX_ORG, "ingress.kubernetes.io/"];

export function readAnnotations(annotations: Record<string, string>, report: ReportBuilder): IngressSettings {
  const settings = defaultSettings();
  const known = new Set<string>();
  for (const family of ANNOTATION_FAMILIES) {
    const values = new Map<string, string>();
    for (const key of family.keys) {
      known.add(key);
      if (typeof annotations[key] === "string") values.set(key, annotations[key]);
    }
    if (values.size === 0) continue;
    family.apply(values, settings, (key, outcome, message) => report.annotation(key, values.get(key) ?? "", outcome, message));
    // A family that forgets a key must not make it look converted.
    for (const [key, value] of values) if (!report.has(key)) report.annotation(key, value, "reported", "read but not applied");
  }
  for (const key of Object.keys(annotations).sort()) {
    if (known.has(key) || !CONTROLLER_PREFIXES.some((p) => key.startsWith(p))) continue;
    report.annotation(key, String(annotations[key]), "reported", "not supported by the converter");
  }
  return settings;
}
