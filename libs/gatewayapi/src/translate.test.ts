import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { HTTPFilterChain } from "@gatehouse/ir";
import { gatewayDependencies, resourceSetFrom, translate, type KubeObject } from "./index";

const CONTROLLER = "gatehouse.dev/gatewayclass-controller";
const certPem = readFileSync(new URL("./testdata/https-certificates.in.yaml", import.meta.url), "utf8");

const klass = { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gh" }, spec: { controllerName: CONTROLLER } };
const service = (name: string, namespace = "default") => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { namespace, name },
  spec: { ports: [{ name: "http", port: 80, protocol: "TCP" }] },
});
const gateway = (listeners: unknown[]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { namespace: "default", name: "gw", generation: 7 },
  spec: { gatewayClassName: "gh", listeners },
});
const route = (name: string, rules: unknown[], extra: Record<string, unknown> = {}, namespace = "default") => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { namespace, name, generation: 2, ...((extra.metadata as object) ?? {}) },
  spec: { parentRefs: [{ name: "gw", namespace: "default" }], rules, ...((extra.spec as object) ?? {}) },
});
/** An EndpointSlice of the Service with no endpoints: endpoints are known, and there are none. */
const emptyEndpointSlice = (service: string, namespace = "default") => ({
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { namespace, name: `${service}-x`, labels: { "kubernetes.io/service-name": service } },
  ports: [{ name: "http", port: 80, protocol: "TCP" }],
  endpoints: [],
});
const run = (objects: unknown[], checkEndpoints?: boolean) =>
  translate(resourceSetFrom(objects as KubeObject[]), { controllerName: CONTROLLER, checkEndpoints });
const parentConditions = (result: ReturnType<typeof run>, name: string) => {
  const s = result.statuses.find((u) => u.kind === "HTTPRoute" && u.name === name)!;
  const parents = s.status.parents as { conditions: { type: string; status: string; reason: string }[] }[];
  return Object.fromEntries(parents[0].conditions.map((c) => [c.type, `${c.status}/${c.reason}`]));
};
const routesOf = (result: ReturnType<typeof run>) =>
  (result.irs[0].listeners[0].filterChains[0] as HTTPFilterChain).virtualHosts.map((vh) => [vh.name, vh.routes.map((r) => r.name)]);

describe("translate", () => {
  it("orders routes by the spec's precedence across routes, then by age, name and rule order", () => {
    const rule = (path: unknown, more: Record<string, unknown> = {}) => ({ matches: [{ path, ...more }], backendRefs: [{ name: "svc", port: 80 }] });
    const result = run([
      klass,
      service("svc"),
      gateway([{ name: "http", port: 80, protocol: "HTTP" }]),
      route("b-new", [rule({ type: "PathPrefix", value: "/a" }), rule({ type: "PathPrefix", value: "/a/b" })], {
        metadata: { creationTimestamp: "2026-03-01T00:00:00Z" },
      }),
      route(
        "a-old",
        [
          rule({ type: "PathPrefix", value: "/a" }),
          rule({ type: "PathPrefix", value: "/a" }, { headers: [{ name: "x", value: "1" }] }),
          rule({ type: "Exact", value: "/a" }),
          rule({ type: "PathPrefix", value: "/a" }, { method: "GET" }),
          rule({ type: "PathPrefix", value: "/a" }, { queryParams: [{ name: "q", value: "1" }] }),
        ],
        { metadata: { creationTimestamp: "2026-01-01T00:00:00Z" } },
      ),
    ]);
    expect(routesOf(result)).toEqual([
      [
        "*",
        [
          "httproute/default/a-old/rule/2/match/0", // Exact
          "httproute/default/b-new/rule/1/match/0", // longest prefix
          "httproute/default/a-old/rule/3/match/0", // method
          "httproute/default/a-old/rule/1/match/0", // header
          "httproute/default/a-old/rule/4/match/0", // query parameter
          "httproute/default/a-old/rule/0/match/0", // tie: older route first
          "httproute/default/b-new/rule/0/match/0",
        ],
      ],
    ]);
  });

  it("reports a Secret whose key does not match its certificate as InvalidCertificateRef and programs no chain for it", () => {
    const secrets = [...certPem.matchAll(/kind: Secret\n[\s\S]*?(?=\n---|$)/g)].map((m) => m[0]);
    expect(secrets.length).toBeGreaterThan(2);
    const crt = /tls\.crt: (\S+)/.exec(secrets[0])![1];
    const foreignKey = /name: wrong-key[\s\S]*?tls\.key: (\S+)/.exec(certPem)![1];
    const result = run([
      klass,
      gateway([{ name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "cert" }] } }]),
      { apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: { namespace: "default", name: "cert" }, data: { "tls.crt": crt, "tls.key": foreignKey } },
    ]);
    const gw = result.statuses.find((s) => s.kind === "Gateway")!;
    const listener = (gw.status.listeners as { conditions: { type: string; status: string; reason: string; observedGeneration: number }[] }[])[0];
    expect(listener.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      "ResolvedRefs=False/InvalidCertificateRef",
      "Accepted=True/Accepted",
      "Programmed=False/Invalid",
    ]);
    expect(listener.conditions.every((c) => c.observedGeneration === 7)).toBe(true);
    expect(result.irs[0].listeners).toEqual([]);
  });

  it("needs a ReferenceGrant for a backend in another namespace, and accepts it with one", () => {
    const objects = [
      klass,
      service("api", "backends"),
      gateway([{ name: "http", port: 80, protocol: "HTTP" }]),
      route("r", [{ backendRefs: [{ name: "api", namespace: "backends", port: 80 }] }]),
    ];
    const denied = run(objects);
    expect(parentConditions(denied, "r")).toMatchObject({ Accepted: "True/Accepted", ResolvedRefs: "False/RefNotPermitted" });
    const grant = {
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { namespace: "backends", name: "g" },
      spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "default" }], to: [{ group: "", kind: "Service" }] },
    };
    const allowed = run([...objects, grant]);
    expect(parentConditions(allowed, "r")).toMatchObject({ Accepted: "True/Accepted", ResolvedRefs: "True/ResolvedRefs" });
    expect(result0Clusters(allowed)).toEqual(["backends/api/80/http1"]);
  });

  it("reports BackendsAvailable=False for a Service without endpoints only when endpoints are known", () => {
    const slice = emptyEndpointSlice("svc");
    const objects = [klass, service("svc"), gateway([{ name: "http", port: 80, protocol: "HTTP" }]), route("r", [{ backendRefs: [{ name: "svc", port: 80 }] }])];
    expect(parentConditions(run([...objects, slice]), "r")).toMatchObject({ BackendsAvailable: "False/EndpointsNotFound", ResolvedRefs: "True/ResolvedRefs" });
    expect(parentConditions(run(objects), "r").BackendsAvailable).toBeUndefined();
    // The cluster stays in the IR: endpoints arrive on their own path without retranslation.
    expect(result0Clusters(run([...objects, slice]))).toEqual(["default/svc/80/http1"]);
  });

  it("reports a TCPRoute backend without endpoints as an unresolved reference, keeping its cluster", () => {
    const slice = emptyEndpointSlice("svc");
    const tcp = {
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      kind: "TCPRoute",
      metadata: { namespace: "default", name: "t" },
      spec: { parentRefs: [{ name: "gw" }], rules: [{ backendRefs: [{ name: "svc", port: 80 }] }] },
    };
    const result = run([klass, service("svc"), slice, gateway([{ name: "tcp", port: 5000, protocol: "TCP" }]), tcp]);
    const status = result.statuses.find((s) => s.kind === "TCPRoute")!.status.parents as { conditions: { type: string; status: string; reason: string }[] }[];
    expect(status[0].conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual(["Accepted=True/Accepted", "ResolvedRefs=False/EndpointsNotFound"]);
    expect(result0Clusters(result)).toEqual(["default/svc/80/tcp"]);
  });

  it("puts namespaced objects that omit their namespace in default, as kubectl apply does", () => {
    const strip = <T extends { metadata: Record<string, unknown> }>(o: T) => ({ ...o, metadata: { ...o.metadata, namespace: undefined } });
    const result = run([
      klass,
      strip(service("svc")),
      strip(gateway([{ name: "http", port: 80, protocol: "HTTP" }])),
      { ...route("r", [{ backendRefs: [{ name: "svc", port: 80 }] }]), metadata: { name: "r" }, spec: { parentRefs: [{ name: "gw" }], rules: [{ backendRefs: [{ name: "svc", port: 80 }] }] } },
    ]);
    expect(parentConditions(result, "r")).toMatchObject({ Accepted: "True/Accepted", ResolvedRefs: "True/ResolvedRefs" });
    expect(result.irs[0].gateway).toEqual({ namespace: "default", name: "gw" });
  });

  it("ignores Gateways of other classes and never writes their status", () => {
    const other = { ...gateway([{ name: "http", port: 80, protocol: "HTTP" }]), spec: { gatewayClassName: "nginx", listeners: [] } };
    const result = run([klass, other]);
    expect(result.irs).toEqual([]);
    expect(result.statuses.map((s) => s.kind)).toEqual(["GatewayClass"]);
  });

  it("lists what each Gateway's translation reads", () => {
    const rs = resourceSetFrom([
      klass,
      service("svc"),
      gateway([{ name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "cert" }] } }]),
      route("r", [{ backendRefs: [{ name: "svc", port: 80 }, { name: "missing", port: 80 }] }]),
      route("elsewhere", [], { spec: { parentRefs: [{ name: "other-gw" }] } }),
    ] as KubeObject[]);
    expect(gatewayDependencies(rs).get("default/gw")).toEqual([
      // The proxy Deployment (Programmed), read even while absent.
      "Deployment/default/gatehouse-gw",
      "Gateway/default/gw",
      "GatewayClass//gh",
      "HTTPRoute/default/r",
      "Secret/default/cert",
      // The proxy Service (status.addresses) and the cluster's (IP family), read even while absent.
      "Service/default/gatehouse-gw",
      "Service/default/kubernetes",
      "Service/default/missing",
      "Service/default/svc",
    ]);
  });

  it("checks header modifier values by Envoy's rule: only NUL, CR and LF are refused", () => {
    const filter = {
      type: "RequestHeaderModifier",
      requestHeaderModifier: { set: [{ name: "x-ok", value: "caf\u00e9  two spaces" }, { name: "x-bad", value: "a\r\nb" }] },
    };
    const result = run([klass, service("svc"), gateway([{ name: "http", port: 80, protocol: "HTTP" }]), route("r", [{ filters: [filter], backendRefs: [{ name: "svc", port: 80 }] }])]);
    const s = result.statuses.find((u) => u.kind === "HTTPRoute" && u.name === "r")!;
    const accepted = (s.status.parents as { conditions: { type: string; status: string; message: string }[] }[])[0].conditions.find((c) => c.type === "Accepted")!;
    expect(accepted.status).toBe("False");
    expect(accepted.message).toContain('RequestHeaderModifier cannot set header "x-bad": header value must not contain NUL, CR or LF characters');
    expect(accepted.message).not.toContain("x-ok");
  });
});

function result0Clusters(result: ReturnType<typeof run>): string[] {
  return result.irs[0].clusters.map((c) => c.name);
}
