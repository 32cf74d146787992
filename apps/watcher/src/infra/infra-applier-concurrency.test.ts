// The applier's concurrency against the test API server with latency on every request: many
// Gateways are applied at once (never more than the limit), one Gateway's writes never
// overlap, and changes to a Gateway that arrive while it is applied coalesce into one more
// pass that applies its latest input. The applier is driven directly (no informers, no
// leader election) so the overlap is the applier's alone.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { OWNING_GATEWAY_NAME_LABEL, OWNING_GATEWAY_NAMESPACE_LABEL, proxyObjectName } from "@gatehouse/kube";
import { KubeClient, type ApiObject, type ApiResourceRef } from "@gatehouse/kube-client";
import { KubeApiTestServer, waitFor, type KubeObject } from "@gatehouse/testing";
import { InfraApplier } from "./infra-applier";
import { InfraInputs } from "./infra-inputs";

const OURS = "gatehouse.dev/gateway-controller";
const GW = "gateway.networking.k8s.io";
const CLUSTER = parseAllDocuments(readFileSync(path.join(import.meta.dirname, "testdata", "cluster.yaml"), "utf8")).map((d) => d.toJS() as KubeObject);
const LATENCY_MS = 15;

type PatchArgs = [ApiResourceRef, string | undefined, string, unknown, string, { fieldManager?: string; force?: boolean; subresource?: "status" }?];

/** Tracks the server-side applies in flight: per Gateway (from the owner labels) and how many distinct Gateways at once. */
class OverlapClient extends KubeClient {
  private readonly inFlight = new Map<string, number>();
  maxPerGateway = 0;
  maxGateways = 0;
  readonly applies = new Map<string, number>();
  /** Called when an apply of this Gateway starts. */
  onApply: ((gateway: string) => void) | undefined;

  override async patch<T extends ApiObject = ApiObject>(...args: PatchArgs): Promise<T> {
    const labels = (args[3] as ApiObject).metadata?.labels ?? {};
    const gateway = `${labels[OWNING_GATEWAY_NAMESPACE_LABEL]}/${labels[OWNING_GATEWAY_NAME_LABEL]}`;
    const n = (this.inFlight.get(gateway) ?? 0) + 1;
    this.inFlight.set(gateway, n);
    this.maxPerGateway = Math.max(this.maxPerGateway, n);
    this.maxGateways = Math.max(this.maxGateways, this.inFlight.size);
    this.applies.set(gateway, (this.applies.get(gateway) ?? 0) + 1);
    this.onApply?.(gateway);
    try {
      return await super.patch<T>(...args);
    } finally {
      if (n === 1) this.inFlight.delete(gateway);
      else this.inFlight.set(gateway, n - 1);
    }
  }
}

describe("InfraApplier concurrency", () => {
  let api: KubeApiTestServer;
  let applier: InfraApplier | undefined;
  const log = pino({ level: process.env.TEST_LOG ?? "silent" });

  beforeEach(async () => {
    api = await KubeApiTestServer.start({ latencyMs: LATENCY_MS });
    for (const [kind, plural, namespaced] of [["GatewayClass", "gatewayclasses", false], ["Gateway", "gateways", true]] as const) {
      api.registerResource({ group: GW, version: "v1", kind, plural, namespaced, statusSubresource: true, custom: true });
    }
    api.registerResource({ group: "gateway.gatehouse.dev", version: "v1alpha1", kind: "ProxyConfig", plural: "proxyconfigs", namespaced: true, custom: true });
  });
  afterEach(async () => {
    await applier?.stop();
    applier = undefined;
    await api?.stop();
  });

  /** The cluster of testdata/cluster.yaml plus `count` Gateways over three namespaces, as the informers would hand them over. */
  function setup(count: number, concurrency: number): { inputs: InfraInputs; client: OverlapClient; gateways: KubeObject[] } {
    const inputs = new InfraInputs(OURS);
    const gateways: KubeObject[] = [];
    for (const obj of CLUSTER) inputs.update("added", api.create(obj) as ApiObject);
    for (let i = 0; i < count; i++) {
      const gw = api.create({
        apiVersion: `${GW}/v1`,
        kind: "Gateway",
        metadata: { name: `gw-${i}`, namespace: `team-${i % 3}` },
        spec: { gatewayClassName: "gatehouse", listeners: [{ name: "http", port: 8080, protocol: "HTTP" }] },
      });
      inputs.update("added", gw as ApiObject);
      gateways.push(gw);
    }
    const client = new OverlapClient(api.kubeConfig());
    applier = new InfraApplier({ client, inputs, isLeader: () => true, controlPlaneNamespace: "gatehouse", logger: log, concurrency });
    return { inputs, client, gateways };
  }

  const deployment = (gw: KubeObject) => api.get("apps/v1", "Deployment", gw.metadata.namespace!, proxyObjectName(gw.metadata.name!));

  it("applies up to `concurrency` Gateways at once, and one Gateway's objects one after another", async () => {
    const { client, gateways } = setup(24, 4);
    applier!.start();
    await waitFor("every Gateway applied", () => applier!.idle, 30_000);
    for (const gw of gateways) expect(deployment(gw), gw.metadata.name).toBeDefined();
    expect(client.maxPerGateway).toBe(1);
    expect(client.maxGateways).toBeGreaterThan(1);
    expect(client.maxGateways).toBeLessThanOrEqual(4);
    // Only on change: ServiceAccount, ConfigMap, Deployment and Service, once each per Gateway.
    expect([...client.applies.values()].every((n) => n === 4)).toBe(true);
  });

  it("coalesces changes that arrive while a Gateway is applied into one more pass with its latest input", async () => {
    const { inputs, client, gateways } = setup(6, 8);
    const target = gateways[0];
    const key = `${target.metadata.namespace}/${target.metadata.name}`;
    let changesMade = false;
    client.onApply = (gateway) => {
      if (gateway !== key || changesMade) return;
      changesMade = true;
      // Three edits while the first apply is in flight: only the last may be applied after it.
      let latest = target;
      for (const port of [8081, 8082, 8083]) {
        latest = api.update({ ...latest, spec: { ...(latest.spec as object), listeners: [{ name: "http", port, protocol: "HTTP" }] } });
        applier!.changed(inputs.update("modified", latest as ApiObject));
      }
    };
    applier!.start();
    await waitFor("every Gateway applied", () => changesMade && applier!.idle, 30_000);
    const service = api.get("v1", "Service", target.metadata.namespace!, proxyObjectName(target.metadata.name!))!;
    expect((service.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual([8083]);
    // The first pass (port 8080) and one for the three edits: the Service applied twice, never at the same time.
    expect(api.countRequests({ method: "PATCH", path: `/api/v1/namespaces/${target.metadata.namespace}/services/${proxyObjectName(target.metadata.name!)}` })).toBe(2);
    expect(client.maxPerGateway).toBe(1);
  });
});
