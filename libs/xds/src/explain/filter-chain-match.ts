// Envoy's filter chain selection (FilterChainMatch), in Envoy's order, each step keeping
// the most specific chains that match and falling back to chains that leave the field
// unset: destination_port, server_names (exact SNI, then "*.suffix" wildcards from the
// longest suffix, then chains without server_names), transport_protocol ("tls" when the
// tls_inspector saw a ClientHello, else "raw_buffer"), application_protocols. No chain
// left: default_filter_chain, else Envoy closes the connection.
import type { JsonObject } from "../resources/json";
import type { ExplainRequest, ExplainStep } from "./types";

export function matchFilterChain(listener: JsonObject, req: ExplainRequest): { chain?: JsonObject; step: ExplainStep } {
  const notes: string[] = [];
  let chains = (listener.filter_chains as JsonObject[] | undefined) ?? [];
  const m = (c: JsonObject) => (c.filter_chain_match as JsonObject | undefined) ?? {};

  chains = narrow(chains, (c) => (m(c).destination_port === undefined ? "unset" : Number(m(c).destination_port) === req.port ? "match" : "miss"));

  const sni = req.tls ? req.sni?.toLowerCase() : undefined;
  const before = chains;
  chains = narrowServerNames(chains, sni, (c) => ((m(c).server_names as string[] | undefined) ?? []).map((s) => s.toLowerCase()));
  const serverNames = before.flatMap((c) => (m(c).server_names as string[] | undefined) ?? []);
  if (serverNames.length > 0) {
    if (!sni) notes.push(`no SNI sent; chains for server names ${serverNames.join(", ")} cannot match`);
    else if (chains.length === 0) notes.push(`SNI ${sni} matches none of the server names ${serverNames.join(", ")}`);
  }

  const transport = req.tls ? "tls" : "raw_buffer";
  const beforeTransport = chains;
  chains = narrow(chains, (c) => (m(c).transport_protocol === undefined ? "unset" : m(c).transport_protocol === transport ? "match" : "miss"));
  if (beforeTransport.length > 0 && chains.length === 0) {
    notes.push(req.tls ? "the client speaks TLS but no chain accepts TLS here" : "the client speaks plaintext but every chain here expects TLS");
  }

  // ALPN is not modelled: a chain that requires application protocols is taken as not matching.
  chains = narrow(chains, (c) => (Array.isArray(m(c).application_protocols) && (m(c).application_protocols as string[]).length > 0 ? "miss" : "unset"));

  const chain = chains[0] ?? (listener.default_filter_chain as JsonObject | undefined);
  if (!chain) {
    notes.push("no filter chain matches and the listener has no default_filter_chain: Envoy closes the connection");
    return { step: { rule: "filter chain", notes } };
  }
  if (!chains[0]) notes.push("no filter chain matches: the listener's default_filter_chain takes it");
  const match = m(chain);
  const why: string[] = [];
  if (match.server_names) why.push(`server_names ${(match.server_names as string[]).join(", ")} (SNI ${sni})`);
  if (match.transport_protocol) why.push(`transport_protocol ${String(match.transport_protocol)}`);
  if (match.destination_port !== undefined) why.push(`destination_port ${String(match.destination_port)}`);
  notes.unshift(why.length ? `matched on ${why.join(", ")}` : "matches any connection (no filter_chain_match)");
  return { chain, step: { rule: "filter chain", chosen: String(chain.name ?? "(unnamed)"), notes } };
}

/** Chains that match the field, else those that leave it unset. */
function narrow(chains: JsonObject[], test: (c: JsonObject) => "match" | "unset" | "miss"): JsonObject[] {
  const matched = chains.filter((c) => test(c) === "match");
  return matched.length > 0 ? matched : chains.filter((c) => test(c) === "unset");
}

function narrowServerNames(chains: JsonObject[], sni: string | undefined, names: (c: JsonObject) => string[]): JsonObject[] {
  const unset = chains.filter((c) => names(c).length === 0);
  if (!sni) return unset;
  const exact = chains.filter((c) => names(c).includes(sni));
  if (exact.length > 0) return exact;
  // www.a.example.com tries *.a.example.com, then *.example.com, then *.com.
  const labels = sni.split(".");
  for (let i = 1; i < labels.length; i++) {
    const wildcard = `*.${labels.slice(i).join(".")}`;
    const hits = chains.filter((c) => names(c).includes(wildcard));
    if (hits.length > 0) return hits;
  }
  return unset;
}
