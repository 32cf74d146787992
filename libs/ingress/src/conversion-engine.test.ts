// The incremental engine converts only what a change can affect, and its output after any
// sequence of changes equals converting the final state afresh (random edits, seeded).
import type { KubeObject } from "@gatehouse/gatewayapi";
import { describe, expect, it } from "vitest";
import { IngressConversion } from "./conversion-engine";
import { convertIngresses } from "./convert";

const CLASS = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "gatehouse" }, spec: { controller: "gatehouse.dev/ingress-controller" } };
const OTHER_CLASS = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "edge" }, spec: { controller: "gatehouse.dev/ingress-controller" } };

function ingress(name: string, host: string, path = "/", extra: { tls?: string; created?: string; className?: string; annotations?: Record<string, string>; defaultBackend?: boolean; namespace?: string } = {}): KubeObject {
  const spec: Record<string, unknown> = {
    ingressClassName: extra.className ?? "gatehouse",
    rules: [{ host, http: { paths: [{ path, pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } }],
  };
  if (extra.tls) spec.tls = [{ hosts: [host], secretName: extra.tls }];
  if (extra.defaultBackend) spec.defaultBackend = { service: { name: "web", port: { number: 80 } } };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { namespace: extra.namespace ?? "shop", name, creationTimestamp: extra.created ?? "2024-01-01T00:00:00Z", ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec,
  };
}
const service = (port: number): KubeObject => ({ apiVersion: "v1", kind: "Service", metadata: { namespace: "shop", name: "web" }, spec: { ports: [{ name: "http", port }] } });

describe("IngressConversion", () => {
  it("converts only the changed Ingress among many, and the Ingresses sharing its host", () => {
    const engine = new IngressConversion();
    // What the engine was given, for the full conversion at the end.
    const given = new Map<string, KubeObject>();
    const set = engine.set.bind(engine);
    engine.set = (o: KubeObject) => {
      given.set(`${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`, o);
      set(o);
    };
    engine.set(CLASS);
    engine.set(service(8080));
    for (let i = 0; i < 200; i++) engine.set(ingress(`app-${i}`, `app-${i}.example.com`));
    engine.set(ingress("shared-a", "shared.example.com", "/a", { created: "2023-01-01T00:00:00Z" }));
    engine.set(ingress("shared-b", "shared.example.com", "/b"));
    expect(engine.update().converted).toBe(202);

    // An edit converts that Ingress alone, and its route is the only object written.
    engine.set(ingress("app-7", "app-7.example.com", "/seven"));
    const edit = engine.update();
    expect(edit.converted).toBe(1);
    expect(edit.puts.map((o) => o.metadata.name)).toEqual(["app-7"]);
    expect(edit.deletes).toEqual([]);
    expect(edit.reports.map((r) => r.ingress.name)).toEqual(["app-7"]);

    // A status-only change (resourceVersion, status) converts nothing.
    engine.set({ ...ingress("app-7", "app-7.example.com", "/seven"), status: { loadBalancer: { ingress: [{ ip: "192.0.2.1" }] } } });
    expect(engine.update()).toMatchObject({ converted: 0, puts: [], deletes: [], reports: [] });

    // Sharing a host: both claimants are converted (the older one may win or lose paths).
    engine.set(ingress("shared-b", "shared.example.com", "/a"));
    const conflict = engine.update();
    expect(conflict.converted).toBe(2);
    expect(conflict.reports.map((r) => r.ingress.name).sort()).toEqual(["shared-a", "shared-b"]);
    expect(conflict.deletes.map((r) => r.name)).toEqual(["shared-b"]);

    // Moving away from the host frees it: the one left behind is converted too.
    engine.set(ingress("shared-b", "elsewhere.example.com", "/a"));
    expect(engine.update().converted).toBe(2);

    // A deletion converts its former host-mates only.
    engine.delete({ kind: "Ingress", namespace: "shop", name: "app-9" });
    given.delete("Ingress/shop/app-9");
    const gone = engine.update();
    expect(gone).toMatchObject({ converted: 0, puts: [], removedReports: ["shop/app-9"] });
    expect(gone.deletes.map((r) => `${r.kind}/${r.name}`)).toEqual(["HTTPRoute/app-9"]);

    // A TLS listener for one host converts the Ingresses on that host only; the Gateway changes.
    engine.set(ingress("app-3", "app-3.example.com", "/", { tls: "app-3-cert" }));
    const tls = engine.update();
    expect(tls.converted).toBe(1);
    expect(tls.puts.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(["Gateway/gatehouse", "HTTPRoute/app-3", "HTTPRoute/app-3-https-redirect", "ReferenceGrant/gateway-gatehouse-system-gatehouse"]);

    // A Service's new port converts the Ingresses that name it: all of them here.
    engine.set(service(9090));
    expect(engine.update().converted).toBe(201);
    const all = [...given.values()];
    expect(engine.result()).toEqual(convertIngresses({ ingresses: all.filter((o) => o.kind === "Ingress"), ingressClasses: [CLASS], services: [service(9090)] }));
  });

  it("equals a full conversion after any sequence of random edits", () => {
    const rand = mulberry32(20260101);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const hosts = ["a.example.com", "b.example.com", "*.example.com", "c.example.org", ""];
    const names = Array.from({ length: 14 }, (_, i) => `ing-${i}`);
    const times = ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"];
    const live = new Map<string, KubeObject>();
    const classes = new Map<string, KubeObject>([["gatehouse", CLASS]]);
    let svc = service(8080);
    const engine = new IngressConversion();
    engine.set(CLASS);
    engine.set(svc);
    let converted = 0;
    let full = 0;

    for (let step = 0; step < 400; step++) {
      const roll = rand();
      if (roll < 0.65) {
        const name = pick(names);
        const host = pick(hosts);
        const annotations: Record<string, string> = {};
        const flavour = rand();
        if (flavour < 0.15) Object.assign(annotations, { "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "20" });
        else if (flavour < 0.25) annotations["nginx.ingress.kubernetes.io/ssl-passthrough"] = "true";
        else if (flavour < 0.35) annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] = "true";
        const obj = ingress(name, host, pick(["/", "/api", "/shop"]), {
          tls: host && rand() < 0.35 ? pick(["cert-1", "cert-2"]) : undefined,
          created: pick(times),
          className: pick(["gatehouse", "gatehouse", "edge", "nginx"]),
          annotations: Object.keys(annotations).length ? annotations : undefined,
          defaultBackend: rand() < 0.2,
          namespace: pick(["shop", "shop", "other"]),
        });
        live.set(`${obj.metadata.namespace}/${name}`, obj);
        engine.set(obj);
      } else if (roll < 0.8 && live.size > 0) {
        const key = pick([...live.keys()]);
        const [namespace, name] = key.split("/");
        live.delete(key);
        engine.delete({ kind: "Ingress", namespace, name });
      } else if (roll < 0.9) {
        if (classes.has("edge")) {
          classes.delete("edge");
          engine.delete({ kind: "IngressClass", name: "edge" });
        } else {
          classes.set("edge", OTHER_CLASS);
          engine.set(OTHER_CLASS);
        }
      } else {
        svc = service(pick([8080, 9090]));
        engine.set(svc);
      }
      const delta = engine.update();
      converted += delta.converted;
      full += live.size;
      const expected = convertIngresses({ ingresses: [...live.values()], ingressClasses: [...classes.values()], services: [svc] });
      expect(JSON.stringify(engine.result()), `step ${step}`).toBe(JSON.stringify(expected));
    }
    // Incremental means fewer conversions than converting everything on every change.
    expect(converted).toBeLessThan(full / 2);
  });

  it("names as status targets only the Ingresses of our controller's classes, with their Gateway", () => {
    const nginx = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } };
    // Converting nginx's Ingresses too (a migration) does not make their status ours.
    const engine = new IngressConversion({ ingressClasses: ["nginx"] });
    for (const o of [CLASS, nginx, service(8080), ingress("ours", "a.example.com"), { ...ingress("theirs", "b.example.com", "/", { className: "nginx" }), metadata: { namespace: "shop", name: "theirs", generation: 4 } }]) engine.set(o);
    engine.update();
    expect(engine.result().objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(["HTTPRoute/ours", "HTTPRoute/theirs"]));
    expect([...engine.statusTargets().values()]).toEqual([{ ingress: { kind: "Ingress", namespace: "shop", name: "ours" }, generation: 0, gateway: { namespace: "gatehouse-system", name: "gatehouse" } }]);
    engine.set({ ...ingress("ours", "a.example.com"), spec: { ingressClassName: "missing", rules: [] } });
    engine.update();
    expect(engine.statusTargets().size).toBe(0);
  });
});

/** A small seeded PRNG, so a failing sequence can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
