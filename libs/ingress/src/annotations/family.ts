// One family of related annotations (ssl-redirect, canary, CORS...): the keys it reads and
// how it turns their values into IngressSettings. Each family lives in its own file and is
// listed in registry.ts; the registry reports every other controller annotation as not
// carried over, so nothing is dropped silently.
import type { HTTPCORSFilter } from "@gatehouse/gatewayapi";
import type { Outcome } from "../report";

export const NGINX = "nginx.ingress.kubernetes.io/";
export const NGINX_ORG = "nginx.org/";

export type BackendProtocol = "HTTP" | "HTTPS" | "GRPC" | "GRPCS";

export interface CanarySettings {
  /** Share of requests sent to the canary, out of `total`. */
  weight?: number;
  total: number;
  header?: { name: string; type: "Exact" | "RegularExpression"; value: string };
  cookie?: string;
}

/** The HTTPRoute CORS filter's fields. */
export type CorsSettings = HTTPCORSFilter;

export interface RedirectSettings {
  scheme?: "http" | "https";
  hostname?: string;
  port?: number;
  path?: string;
  statusCode: 301 | 302 | 303 | 307 | 308;
}

/** What the annotations of one Ingress ask of its routes. */
export interface IngressSettings {
  /** Paths are RE2 regular expressions (use-regex, or rewrite-target with capture groups). */
  regex: boolean;
  rewriteTarget?: string;
  /** Redirect HTTP to HTTPS for hosts with TLS (ingress-nginx's default: true). */
  sslRedirect: boolean;
  /** Redirect HTTP to HTTPS even for hosts without TLS. */
  forceSslRedirect: boolean;
  /** Every path of the Ingress redirects (permanent-redirect, temporal-redirect). */
  redirect?: RedirectSettings;
  appRoot?: string;
  backendRequestTimeout?: string;
  cors?: CorsSettings;
  upstreamVhost?: string;
  protocol: BackendProtocol;
  /** Services spoken to with gRPC (nginx.org/grpc-services), whatever `protocol` says. */
  grpcServices: Set<string>;
  /** Per-Service prefix rewrites (nginx.org/rewrites). */
  serviceRewrites: Map<string, string>;
  canary?: CanarySettings;
  /** TLS is passed through to the backend (ssl-passthrough): a TLSRoute. */
  passthrough: boolean;
}

export function defaultSettings(): IngressSettings {
  return { regex: false, sslRedirect: true, forceSslRedirect: false, protocol: "HTTP", grpcServices: new Set(), serviceRewrites: new Map(), passthrough: false };
}

export type Note = (annotation: string, outcome: Outcome, message: string) => void;

export interface AnnotationFamily {
  /** Name in docs and reports, e.g. "canary". */
  name: string;
  /** Full annotation keys the family reads. */
  keys: readonly string[];
  /**
   * Reads `values` (only the family's keys that are present) into `settings`. Must note an
   * outcome for every key in `values`.
   */
  apply(values: ReadonlyMap<string, string>, settings: IngressSettings, note: Note): void;
}

/** "true"/"false" as ingress-nginx reads them; undefined for anything else. */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** A comma-separated list, trimmed, empties removed. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
