// Envoy resources for the ADS tests, encoded with the Envoy protos, and a running server.
import { XdsTestClient, type ReceivedResponse, type XdsClientOptions, type XdsClientProtocol } from "@gatehouse/testing";
import { messageType, TYPE_URLS } from "@gatehouse/xds";
import { ResourceCache, xdsResource, type XdsResource } from "../src/index";
import { Registry } from "prom-client";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { AdsServer, listenAds, type RunningTransport, type StreamStatus, type TransportOptions } from "../src/index";

export const T = TYPE_URLS;

export function encode(typeUrl: string, name: string, obj: object): XdsResource {
  const type = messageType(typeUrl);
  return xdsResource(typeUrl, name, type.encode(type.fromObject(obj)).finish());
}

const ADS = { ads: {}, resource_api_version: "V3" };

export function cluster(name: string, opts: { timeoutSec?: number; edsName?: string; lbPolicy?: string } = {}): XdsResource {
  return encode(T.cluster, name, {
    name,
    type: "EDS",
    eds_cluster_config: { eds_config: ADS, service_name: opts.edsName ?? name },
    connect_timeout: { seconds: opts.timeoutSec ?? 1 },
    lb_policy: opts.lbPolicy ?? "ROUND_ROBIN",
  });
}

export function cla(name: string, endpoints: Array<[string, number]>): XdsResource {
  return encode(T.endpoint, name, {
    cluster_name: name,
    endpoints: [
      {
        locality: { region: "test" },
        load_balancing_weight: { value: 1 },
        lb_endpoints: endpoints.map(([address, port]) => ({
          endpoint: { address: { socket_address: { address, port_value: port } } },
          health_status: "HEALTHY",
        })),
      },
    ],
  });
}

/** A gRPC API listener (what xDS gRPC clients resolve): HCM with RDS over ADS. */
export function apiListener(name: string, routeConfigName: string): XdsResource {
  const hcm = messageType("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
  const router = messageType("envoy.extensions.filters.http.router.v3.Router");
  const hcmBytes = hcm
    .encode(
      hcm.fromObject({
        stat_prefix: name,
        rds: { route_config_name: routeConfigName, config_source: ADS },
        http_filters: [
          {
            name: "envoy.filters.http.router",
            typed_config: { type_url: `type.googleapis.com/${router.fullName.slice(1)}`, value: router.encode({}).finish() },
          },
        ],
      }),
    )
    .finish();
  return encode(T.listener, name, {
    name,
    api_listener: { api_listener: { type_url: `type.googleapis.com/${hcm.fullName.slice(1)}`, value: hcmBytes } },
  });
}

/** A route configuration sending every request of a domain to one cluster. */
export function route(name: string, domain: string, clusterName: string): XdsResource {
  return encode(T.route, name, {
    name,
    virtual_hosts: [{ name: `${name}-vh`, domains: [domain], routes: [{ match: { prefix: "" }, route: { cluster: clusterName } }] }],
  });
}

export interface TestServer {
  readonly cache: ResourceCache;
  readonly ads: AdsServer;
  readonly transport: RunningTransport;
  readonly registry: Registry;
  /** Log lines (info and above) as parsed JSON. */
  readonly logs: Array<Record<string, unknown>>;
  /** Address to dial from this machine. */
  readonly address: string;
  stop(): Promise<void>;
}

export async function startTestServer(
  cache = new ResourceCache(),
  transport: Partial<TransportOptions> = {},
): Promise<TestServer> {
  const registry = new Registry();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: process.env.LOG_LEVEL ?? "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const ads = new AdsServer({ cache, registry, logger });
  const running = await listenAds(ads, { port: 0, ...transport });
  return {
    cache,
    ads,
    transport: running,
    registry,
    logs,
    address: `localhost:${running.port}`,
    stop: () => running.shutdown(1_000),
  };
}

/** The test server a whole test file shares, with the clients it connected. */
export interface SharedTestServer extends Omit<TestServer, "stop"> {
  /** Connects a client of the file's protocol (unless opts say otherwise), closed after all tests. */
  readonly connect: (group: string, id: string, opts?: XdsClientOptions & { address?: string }) => XdsTestClient;
  /** The server's view of a node's stream. */
  readonly status: (nodeId: string) => StreamStatus | undefined;
}

/**
 * Starts a test server before the file's tests and stops it, and the clients connected
 * through `connect`, after them. Call at the top level of a test file.
 */
export function useTestServer(protocol: XdsClientProtocol): SharedTestServer {
  let running: TestServer | undefined;
  const clients: XdsTestClient[] = [];
  beforeAll(async () => {
    running = await startTestServer();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await running?.stop();
  });
  const current = (): TestServer => {
    if (!running) throw new Error("the shared test server starts in beforeAll");
    return running;
  };
  const shared = {
    connect: (group: string, id: string, { address, ...opts }: XdsClientOptions & { address?: string } = {}) => {
      const c = XdsTestClient.connect(address ?? current().address, { id, cluster: group }, { protocol, ...opts });
      clients.push(c);
      return c;
    },
    status: (nodeId: string) => current().ads.status().find((s) => s.nodeId === nodeId),
  };
  // The server's own fields, read through to the one running now.
  for (const key of ["cache", "ads", "transport", "registry", "logs", "address"] as const) {
    Object.defineProperty(shared, key, { get: () => current()[key], enumerable: true });
  }
  return shared as SharedTestServer;
}

/** The names a response carried, sorted. */
export const names = (r: ReceivedResponse): string[] => r.resources.map((x) => x.name).sort();

export async function counterValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  let sum = 0;
  for (const v of metric?.values ?? []) {
    if (Object.entries(labels).every(([k, val]) => v.labels[k] === val)) sum += v.value;
  }
  return sum;
}

/** Waits for a condition with a deadline (no fixed sleeps). */
export async function until(check: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
