// What `gatehouse explain` reasons about: the Envoy resources of one Gateway (proto3 JSON,
// as built and served) and one request described the way Envoy sees it on the wire.
import type { JsonObject } from "../resources/json";

/** The resources a proxy of one Gateway holds, as proto3 JSON objects. */
export interface EnvoyConfig {
  listeners: JsonObject[];
  routeConfigurations: JsonObject[];
  clusters: JsonObject[];
  /** ClusterLoadAssignments (EDS), by cluster_name. */
  loadAssignments: JsonObject[];
}

export interface ExplainRequest {
  /** Destination port the client connects to (the listener's port). */
  port: number;
  /** The client speaks TLS (an https URL, or --sni given). */
  tls: boolean;
  /** Server name the client sends in its ClientHello; absent: none sent. */
  sni?: string;
  /** The :authority / Host header, port included when the client sends one. */
  host: string;
  /** The :path header: path and query string. */
  path: string;
  method: string;
  /** Other request headers, lowercase names, in order; repeated names allowed. */
  headers: [string, string][];
}

/** One decision Envoy makes, in the order it makes them. */
export interface ExplainStep {
  /** The Envoy rule family: "listener", "filter chain", "path normalization", "virtual host", "route", ... */
  rule: string;
  /** What was chosen (a resource name), absent when nothing matched. */
  chosen?: string;
  /** Why, one line each. */
  notes: string[];
}

export interface BackendOutcome {
  cluster: string;
  weight: number;
  /** Share of requests in percent (weight over the total). */
  percent: number;
  endpoints: { address: string; health: string }[];
  /** Why requests sent here fail, with the status Envoy answers. */
  failure?: { status: number; reason: string };
}

/** How the request ends. */
export type ExplainOutcome =
  | { kind: "connection-refused"; reason: string }
  | { kind: "connection-closed"; reason: string }
  | { kind: "response"; status: number; reason: string; location?: string; body?: string }
  | { kind: "forwarded"; backends: BackendOutcome[]; upstreamPath: string; upstreamHost: string; reason: string }
  | { kind: "tcp-forwarded"; backends: BackendOutcome[]; reason: string };

export interface RouteOrigin {
  kind: string;
  namespace: string;
  name: string;
  rule?: number;
  match?: number;
}

export interface Explanation {
  request: ExplainRequest;
  steps: ExplainStep[];
  /** The Gateway API route (and rule and match) the chosen Envoy route came from. */
  origin?: RouteOrigin;
  outcome: ExplainOutcome;
}
