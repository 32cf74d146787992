// What a proxy holds, seen through the libs/testing xDS protocol client: subscribe like a
// Delta Envoy with everything ("*" for routes and endpoints), then summarise the applied
// resources as a digest (for "identical config" checks) and as route paths per route
// (for "follows the edits" and "never out of order" checks).
import { createHash } from "node:crypto";
import { TYPE_URLS } from "@gatehouse/xds";
import { XdsTestClient } from "@gatehouse/testing";

export const CONFIG_TYPES = [TYPE_URLS.listener, TYPE_URLS.route, TYPE_URLS.cluster] as const;

export function followLikeEnvoy(address: string, gateway: string, nodeId = "e2e-envoy"): XdsTestClient {
  const client = XdsTestClient.connect(address, { id: nodeId, cluster: gateway }, {
    protocol: "delta",
    autoReconnect: true,
    // Envoy retries its ADS stream with a 500 ms base backoff; grpc-js's channel default
    // (1 s growing to 120 s) would make a restarted xds-server wait for the client.
    channelOptions: { "grpc.initial_reconnect_backoff_ms": 250, "grpc.max_reconnect_backoff_ms": 1_000 },
  });
  client.subscribe(TYPE_URLS.cluster);
  client.subscribe(TYPE_URLS.endpoint, ["*"]);
  client.subscribe(TYPE_URLS.listener);
  client.subscribe(TYPE_URLS.route, ["*"]);
  return client;
}

/**
 * Digest of the listeners, routes and clusters a client holds: names and versions, which
 * are content hashes of the encoded resources, so equal digests mean byte-identical config.
 */
export function configDigest(client: XdsTestClient): string {
  return digestOf(configEntries(client));
}

/** "type name version" of every listener, route and cluster the client holds. */
export function configEntries(client: XdsTestClient): string[] {
  const entries: string[] = [];
  for (const t of CONFIG_TYPES) for (const [name, r] of client.of(t)) entries.push(`${t} ${name} ${r.version}`);
  return entries;
}

export function digestOf(entries: string[]): string {
  return createHash("sha256").update([...entries].sort().join("\n")).digest("hex");
}

/** Why a client's config is not the expected one: the entries each side has alone, and the client's stream state. */
export function explainMismatch(client: XdsTestClient, expected: string[]): string {
  const held = new Set(configEntries(client));
  const want = new Set(expected);
  const missing = [...want].filter((e) => !held.has(e)).sort();
  const extra = [...held].filter((e) => !want.has(e)).sort();
  const show = (list: string[]) => list.slice(0, 15).join("\n  ") + (list.length > 15 ? `\n  ... ${list.length - 15} more` : "");
  return [
    `client ${client.connected ? "connected" : "not connected"}; stats ${JSON.stringify(client.stats)}; last stream error ${JSON.stringify(client.lastStreamError ?? null)}`,
    `expected but not held (${missing.length}):\n  ${show(missing)}`,
    `held but not expected (${extra.length}):\n  ${show(extra)}`,
  ].join("\n");
}

interface RouteConfigJson {
  virtual_hosts?: { routes?: { name?: string; match?: { prefix?: string; path?: string; path_separated_prefix?: string } }[] }[];
}

/** Path match of every route the client holds, by Envoy route name. */
export function routePaths(client: XdsTestClient): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of client.of(TYPE_URLS.route).keys()) {
    const rc = client.decoded<RouteConfigJson>(TYPE_URLS.route, name);
    for (const vh of rc?.virtual_hosts ?? []) {
      for (const r of vh.routes ?? []) {
        const m = r.match ?? {};
        out.set(r.name ?? "", m.path ?? m.prefix ?? m.path_separated_prefix ?? "");
      }
    }
  }
  return out;
}
