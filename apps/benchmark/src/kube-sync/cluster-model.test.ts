import { describe, expect, it } from "vitest";
import { changeSlice, clusterObjects, type ClusterSize } from "./cluster-model";

const SIZE: ClusterSize = { services: 200, slices: 300, routes: 40, gateways: 3, namespaces: 7, seed: 42 };
const OURS = "gatehouse.dev/gateway-controller";

type Slice = { metadata: { namespace: string; labels: Record<string, string> }; endpoints: { conditions: { ready: boolean; serving: boolean; terminating: boolean } }[] };
type Route = { metadata: { namespace: string }; spec: { parentRefs: { name: string; namespace: string }[]; rules: { backendRefs: { name: string }[] }[] } };

describe("the kube-sync cluster model", () => {
  const { objects, published } = clusterObjects(SIZE, OURS);
  const of = <T>(kind: string, list = published) => list.filter((o) => o.kind === kind) as unknown as T[];

  it("holds the asked-for numbers of each kind, and what must not be published besides", () => {
    const count = (kind: string) => of(kind).length;
    expect([count("Service"), count("EndpointSlice"), count("HTTPRoute"), count("Gateway")]).toEqual([SIZE.services + 1, SIZE.slices, SIZE.routes, SIZE.gateways]);
    expect(count("Namespace")).toBe(SIZE.namespaces + 2);
    expect(of<{ spec: { controllerName: string } }>("GatewayClass").map((c) => c.spec.controllerName)).toEqual([OURS]);
    const unpublished = objects.filter((o) => !published.includes(o));
    expect(unpublished.map((o) => o.kind).sort()).toEqual(["GatewayClass", ...Array(SIZE.namespaces).fill("Secret")]);
  });

  it("gives every slice 3 to 10 endpoints of its Service, in every condition a rollout shows", () => {
    const services = new Set(of<{ metadata: { namespace: string; name: string } }>("Service").map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    const seen = new Set<string>();
    for (const s of of<Slice>("EndpointSlice")) {
      expect(s.endpoints.length).toBeGreaterThanOrEqual(3);
      expect(s.endpoints.length).toBeLessThanOrEqual(10);
      expect(services.has(`${s.metadata.namespace}/${s.metadata.labels["kubernetes.io/service-name"]}`)).toBe(true);
      for (const e of s.endpoints) seen.add(JSON.stringify(e.conditions));
    }
    expect([...seen].sort()).toEqual(
      [
        { ready: true, serving: true, terminating: false },
        { ready: false, serving: true, terminating: true },
        { ready: false, serving: false, terminating: true },
        { ready: false, serving: false, terminating: false },
      ].map((c) => JSON.stringify(c)).sort(),
    );
  });

  it("routes every Service exactly once, from a route in its namespace on one of the Gateways", () => {
    const gateways = new Set(of<{ metadata: { namespace: string; name: string } }>("Gateway").map((g) => `${g.metadata.namespace}/${g.metadata.name}`));
    const routed: string[] = [];
    for (const r of of<Route>("HTTPRoute")) {
      for (const p of r.spec.parentRefs) expect(gateways.has(`${p.namespace}/${p.name}`)).toBe(true);
      for (const rule of r.spec.rules) for (const b of rule.backendRefs) routed.push(`${r.metadata.namespace}/${b.name}`);
    }
    const services = of<{ metadata: { namespace: string; name: string } }>("Service").filter((s) => s.metadata.name !== "kubernetes");
    expect(routed.sort()).toEqual(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort());
  });

  it("is the same for the same seed, and carries the noise a real cluster's objects have", () => {
    expect(JSON.stringify(clusterObjects(SIZE, OURS).objects)).toBe(JSON.stringify(objects));
    const svc = of<{ metadata: Record<string, unknown> }>("Service")[1];
    expect(svc.metadata.managedFields).toBeDefined();
    expect(Object.keys(svc.metadata.annotations as object)).toContain("kubectl.kubernetes.io/last-applied-configuration");
  });

  it("changes one endpoint of a slice per burst change, leaving the input alone", () => {
    const slice = of<Slice>("EndpointSlice")[0];
    const before = JSON.stringify(slice);
    const next = changeSlice(slice as never, 1) as unknown as Slice;
    expect(JSON.stringify(slice)).toBe(before);
    const changed = next.endpoints.filter((e, i) => JSON.stringify(e) !== JSON.stringify(slice.endpoints[i]));
    expect(changed).toHaveLength(1);
  });
});
