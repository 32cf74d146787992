// The pipeline end to end in Kubernetes mode: the watcher (`--provider kubernetes`, reading
// the Kubernetes API test server through a KUBECONFIG file), the translator and the
// xds-server as real processes. Objects created through the API reach a real xDS client,
// the Gateway's and the route's status come back to the API server, and scaling the
// EndpointSlice changes the client's endpoints without a translation (the fast path).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { kindInfo, type KubeObject } from "@gatehouse/kube";
import { KubeClient } from "@gatehouse/kube-client";
import { metricSum } from "@gatehouse/runtime";
import { baseManifests, crdOf, httpRouteManifest, KubeApiTestServer, type XdsTestClient } from "@gatehouse/testing";
import { TYPE_URLS } from "@gatehouse/xds";
import { E2E_CONTROLLER_NAME, Pipeline } from "./harness/pipeline";
import { waitUntil } from "./harness/wait";
import { followLikeEnvoy, routePaths } from "./harness/xds-view";

const GATEWAY = "default/eg";
const GWV1 = "gateway.networking.k8s.io/v1";
const SLICES = "discovery.k8s.io/v1";

type Condition = { type: string; status: string; reason?: string };
interface ClaJson {
  endpoints?: { lb_endpoints?: { endpoint?: { address?: { socket_address?: { address?: string } } } }[] }[];
}

/** Addresses of every endpoint the client holds, over all clusters. */
function endpointAddresses(client: XdsTestClient): string[] {
  const out: string[] = [];
  for (const name of client.of(TYPE_URLS.endpoint).keys()) {
    const cla = client.decoded<ClaJson>(TYPE_URLS.endpoint, name);
    for (const locality of cla?.endpoints ?? []) for (const lb of locality.lb_endpoints ?? []) out.push(lb.endpoint?.address?.socket_address?.address ?? "");
  }
  return out.sort();
}

describe("pipeline end to end in Kubernetes mode", () => {
  let api: KubeApiTestServer;
  let p: Pipeline;
  let kube: KubeClient;
  let client: XdsTestClient;
  let kubeDir: string;

  beforeAll(async () => {
    api = await KubeApiTestServer.start();
    // The Gateway API CRDs the scenario uses; the watcher reports the others missing and goes on.
    for (const kind of ["GatewayClass", "Gateway", "HTTPRoute", "ReferenceGrant"]) api.registerResource(crdOf(kind));
    kube = new KubeClient(api.kubeConfig());
    // The watcher finds the API server the way kubectl would: a kubeconfig file named by KUBECONFIG.
    kubeDir = mkdtempSync(path.join(tmpdir(), "gatehouse-e2e-kube-"));
    const kubeconfig = path.join(kubeDir, "kubeconfig");
    writeFileSync(kubeconfig, api.kubeconfigYaml());
    p = await Pipeline.start({ logLevel: "warn", kubeconfig });
    client = followLikeEnvoy(p.xdsAddress, GATEWAY);
  });
  afterAll(async () => {
    client?.close();
    await p?.close();
    await api?.stop();
    if (kubeDir) rmSync(kubeDir, { recursive: true, force: true });
  });

  /** Creates YAML documents through the API, as kubectl create would. */
  const createAll = async (yaml: string) => {
    for (const doc of parseAllDocuments(yaml)) {
      const obj = doc.toJS() as KubeObject;
      const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
      await kube.create(kindInfo(group, obj.kind)!, obj);
    }
  };
  const conditions = (obj: Record<string, unknown> | undefined): Condition[] => (obj?.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const routeParents = () => (api.get(GWV1, "HTTPRoute", "default", "web")?.status as { parents?: { controllerName: string; conditions: Condition[] }[] } | undefined)?.parents ?? [];
  const isTrue = (cs: Condition[], type: string) => cs.some((c) => c.type === type && c.status === "True");
  const until = async (cond: () => boolean | Promise<boolean>, what: string) => {
    try {
      await waitUntil(cond, what, 40_000);
    } catch (err) {
      // Say what the services logged: a hang here is otherwise opaque.
      const logs = (["watcher", "translator", "xds-server"] as const).map((s) => `--- ${s} log tail ---\n${p.logTail(s, 15)}`).join("\n");
      throw new Error(`${(err as Error).message}\nclient stats ${JSON.stringify(client.stats)}\n${logs}`);
    }
  };
  /** Translations the translator made and changes it received, from its /metrics. */
  const translatorWork = async () => {
    const text = await p.metrics("translator");
    return { translations: metricSum(text, "gatehouse_translator_translation_seconds_count"), changes: metricSum(text, "gatehouse_translator_changes_total") };
  };
  const scaleTo = (addresses: string[]) => {
    const slice = api.get(SLICES, "EndpointSlice", "default", "backend-1")!;
    api.update({ ...slice, endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true, serving: true, terminating: false } })) });
  };

  it("delivers a route created through the API, writes status back, and follows EndpointSlice scaling without a translation", async () => {
    await createAll(baseManifests({ className: "e2e", controllerName: E2E_CONTROLLER_NAME, endpointConditions: { ready: true, serving: true, terminating: false } }));
    await createAll(httpRouteManifest({ name: "web", pathPrefix: "/web" }));

    // The route reaches the proxy, with the Service's one endpoint.
    await until(() => [...routePaths(client).values()].includes("/web"), "route /web at the xDS client");
    await until(() => endpointAddresses(client).join() === "127.0.0.1", "the backend's endpoint at the xDS client");

    // Status comes back to the API server: the Gateway's conditions and our entry in the route's parents.
    await until(() => isTrue(conditions(api.get(GWV1, "Gateway", "default", "eg")), "Accepted"), "Gateway Accepted on the API server");
    await until(() => routeParents().some((e) => e.controllerName === E2E_CONTROLLER_NAME && isTrue(e.conditions, "Accepted") && isTrue(e.conditions, "ResolvedRefs")), "route status on the API server");
    expect(api.countRequests({ method: "PUT", subresource: "status", path: /\/(gateways\/eg|httproutes\/web)\/status$/ })).toBeGreaterThanOrEqual(2);

    // A status write changes the object, which the watcher publishes again and the translator
    // reads (finding nothing new to write). Wait until that settles: its counters hold still.
    let before = await translatorWork();
    await until(async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      const now = await translatorWork();
      const still = now.translations === before.translations && now.changes === before.changes;
      before = now;
      return still;
    }, "the translator to settle");

    // Scale up, then down: the client follows each time, and the translator sees none of it.
    scaleTo(["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    await until(() => endpointAddresses(client).join() === "10.0.0.1,10.0.0.2,10.0.0.3", "three endpoints at the xDS client");
    scaleTo(["10.0.0.2"]);
    await until(() => endpointAddresses(client).join() === "10.0.0.2", "one endpoint at the xDS client");
    expect(await translatorWork()).toEqual(before);
  });
});

