// Whole-message checks Envoy makes in C++ when it builds a resource, which no proto
// annotation expresses and which would each NACK a resource that passes PGV. Each quotes
// the error Envoy gives. Only the unambiguous ones are here: a false positive would take
// a valid route or listener down.
import { unpackAny, type AnyMessage } from "../proto/any-registry";
import { issue } from "./scalar-rules";
import { popPath, pushPath, type ValidationIssue } from "./validation-issue";

type Json = Record<string, unknown>;
type Visit = (m: Json, out: ValidationIssue[]) => void;

const ROUTER = ".envoy.extensions.filters.http.router.v3.Router";
const TERMINAL_NETWORK_FILTERS = new Set([
  ".envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
  ".envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
]);
const MAX_UINT32 = 4294967295;

const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const wrapped = (v: unknown): number => Number((v as { value?: unknown } | null | undefined)?.value ?? 0);

function at(parts: Array<string | number>, out: ValidationIssue[], rule: string, message: string): void {
  for (const p of parts) pushPath(p);
  issue(out, rule, message);
  for (let i = 0; i < parts.length; i++) popPath();
}

/** "Only unique values for domains are permitted. Duplicate entry of domain {} in route {}" (domains are lowercased first). */
function uniqueDomains(m: Json, out: ValidationIssue[]): void {
  const seen = new Map<string, string>();
  list(m.virtual_hosts).forEach((vh, i) => {
    list(vh.domains).forEach((d, j) => {
      const domain = String(d).toLowerCase();
      const first = seen.get(domain);
      if (first === undefined) seen.set(domain, `virtual_hosts[${i}].domains[${j}]`);
      else if (domain === "*") at(["virtual_hosts", i, "domains", j], out, "envoy.unique_domains", `only a single wildcard domain is permitted (also at ${first})`);
      else at(["virtual_hosts", i, "domains", j], out, "envoy.unique_domains", `duplicate domain ${JSON.stringify(domain)} (also at ${first})`);
    });
  });
}

/** "Sum of weights in the weighted_cluster must be greater than 0." and "... exceeds 4294967295". */
function weightedClusterSum(m: Json, out: ValidationIssue[]): void {
  const sum = list(m.clusters).reduce((acc, c) => acc + wrapped(c.weight), 0);
  if (sum === 0) issue(out, "envoy.weighted_clusters_sum", "the sum of the cluster weights must be greater than 0");
  else if (sum > MAX_UINT32) issue(out, "envoy.weighted_clusters_sum", `the sum of the cluster weights exceeds ${MAX_UINT32}`);
}

function typeOf(typedConfig: unknown): string | undefined {
  if (!typedConfig) return undefined;
  try {
    return unpackAny(typedConfig as AnyMessage).type?.fullName;
  } catch {
    return undefined; // reported by the Any walk
  }
}

/**
 * "terminal filter named {} of type {} must be the last filter in a {} filter chain." and
 * "non-terminal filter named {} of type {} is the last filter in a {} filter chain."
 */
function terminalLast(field: string, kind: string, isTerminal: (type: string) => boolean): Visit {
  return (m, out) => {
    const filters = list(m[field]);
    filters.forEach((f, i) => {
      const type = typeOf(f.typed_config);
      if (type === undefined) return; // discovered (ECDS) config: its type is not known here
      const last = i === filters.length - 1;
      if (isTerminal(type) && !last) at([field, i], out, "envoy.terminal_filter", `terminal filter ${JSON.stringify(f.name)} must be the last ${kind} filter`);
      if (!isTerminal(type) && last) at([field, i], out, "envoy.terminal_filter", `the last ${kind} filter ${JSON.stringify(f.name)} is not a terminal filter`);
    });
  };
}

function cidrKeys(v: unknown): string[] {
  const ranges = list(v);
  if (ranges.length === 0) return [""];
  return ranges.map((r) => `${String(r.address_prefix ?? "").toLowerCase()}/${wrapped(r.prefix_len)}`);
}

function orAny<T>(values: T[], any: T): T[] {
  return values.length === 0 ? [any] : values;
}

/**
 * Envoy files each filter chain under every combination of its match values (an empty
 * list is its own "any" entry); two chains sharing one combination give "multiple filter
 * chains with the same matching rules are defined". A server name with a `*` anywhere but
 * a leading `*.` gives "partial wildcards are not supported in "server_names"".
 */
function filterChainMatches(m: Json, out: ValidationIssue[]): void {
  if (m.filter_chain_matcher != null) return; // the matcher API selects chains instead
  const owner = new Map<string, number>();
  list(m.filter_chains).forEach((chain, i) => {
    const match = (chain.filter_chain_match ?? {}) as Json;
    const serverNames = list(match.server_names) as unknown as string[];
    serverNames.forEach((name, k) => {
      if (name.includes("*") && !(name.startsWith("*.") && !name.slice(1).includes("*"))) {
        at(["filter_chains", i, "filter_chain_match", "server_names", k], out, "envoy.server_name_wildcard", `${JSON.stringify(name)}: only a leading "*." wildcard is supported`);
      }
    });
    const dims: string[][] = [
      [String(wrapped(match.destination_port))],
      cidrKeys(match.prefix_ranges),
      orAny(serverNames, ""),
      [String(match.transport_protocol ?? "")],
      orAny((list(match.application_protocols) as unknown as string[]).map(String), ""),
      cidrKeys(match.direct_source_prefix_ranges),
      [String(match.source_type ?? 0)],
      cidrKeys(match.source_prefix_ranges),
      orAny((list(match.source_ports) as unknown as number[]).map(String), "0"),
    ];
    let reported = false;
    for (const key of product(dims)) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, i);
      else if (other !== i && !reported) {
        reported = true;
        at(["filter_chains", i, "filter_chain_match"], out, "envoy.unique_filter_chain_match", `matches the same connections as filter_chains[${other}]`);
      }
    }
  });
}

function product(dims: string[][]): string[] {
  let keys = [""];
  for (const values of dims) {
    const next: string[] = [];
    for (const k of keys) for (const v of new Set(values)) next.push(`${k}\u0000${v}`);
    keys = next;
  }
  return keys;
}

/** Checks by message type (full name, with the leading dot). */
export const ENVOY_SEMANTIC_CHECKS: Readonly<Record<string, Visit>> = {
  ".envoy.config.route.v3.RouteConfiguration": uniqueDomains,
  ".envoy.config.route.v3.WeightedCluster": weightedClusterSum,
  ".envoy.config.listener.v3.Listener": filterChainMatches,
  ".envoy.config.listener.v3.FilterChain": terminalLast("filters", "network", (t) => TERMINAL_NETWORK_FILTERS.has(t)),
  ".envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager": terminalLast("http_filters", "HTTP", (t) => t === ROUTER),
};
