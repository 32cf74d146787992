import { describe, expect, it } from "vitest";
import { resourceSetFrom, type KubeObject } from "@gatehouse/gatewayapi";
import { translateAndCheck } from "./translate-and-check";
import { XdsChecker } from "./xds-check";

const CONTROLLER = "example.com/test-controller";

function objects(redirect: string): KubeObject[] {
  const gateway = (name: string): KubeObject => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name, namespace: "default" },
    spec: { gatewayClassName: "gc", listeners: [{ name: "http", protocol: "HTTP", port: 8080 }] },
  });
  return [
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gc" }, spec: { controllerName: CONTROLLER } },
    gateway("gw"),
    gateway("other"),
    { apiVersion: "v1", kind: "Service", metadata: { name: "svc", namespace: "default" }, spec: { ports: [{ port: 80 }] } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "r", namespace: "default" },
      spec: {
        parentRefs: [{ name: "gw" }],
        rules: [
          { matches: [{ path: { type: "PathPrefix", value: "/ok" } }], backendRefs: [{ name: "svc", port: 80 }] },
          { matches: [{ path: { type: "PathPrefix", value: "/bad" } }], filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: redirect } } }] },
        ],
      },
    },
  ];
}

type Conditions = { parents: { conditions: { type: string; status: string; reason: string }[] }[] };

describe("translateAndCheck", () => {
  it("stamps every IR with the configured IP family", () => {
    const { irs } = translateAndCheck(resourceSetFrom(objects("/fine")), { controllerName: CONTROLLER, ipFamily: "IPv6" });
    expect([...irs.keys()]).toEqual(["default/gw", "default/other"]);
    expect([...irs.values()].map((ir) => ir.ipFamily)).toEqual(["IPv6", "IPv6"]);
  });

  it("passes the translation's diagnostics through, with and without xDS failures", () => {
    const malformed: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "broken", namespace: "default" }, spec: { ports: "80" } };
    for (const redirect of ["/fine", "/x\ny"]) {
      const { diagnostics } = translateAndCheck(resourceSetFrom([...objects(redirect), malformed]), { controllerName: CONTROLLER, ipFamily: "IPv4" });
      expect(diagnostics.map((d) => `${d.reason} ${d.kind} ${d.namespace}/${d.name}`)).toEqual(["MalformedObject Service default/broken"]);
      expect(diagnostics[0].message).toContain("default/broken is malformed and ignored");
    }
    expect(translateAndCheck(resourceSetFrom(objects("/fine")), { controllerName: CONTROLLER, ipFamily: "IPv4" }).diagnostics).toEqual([]);
  });

  it("folds what Envoy's rules would cut into the route's status", () => {
    const failures: string[] = [];
    const { statuses } = translateAndCheck(resourceSetFrom(objects("/x\ny")), {
      controllerName: CONTROLLER,
      ipFamily: "DualStack",
      onXdsFailures: (gw, found) => failures.push(`${gw}:${found.length}`),
    });
    expect(failures).toEqual(["default/gw:1"]);
    const route = statuses.find((s) => s.kind === "HTTPRoute")!.status as Conditions;
    expect(route.parents[0].conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toContain("PartiallyInvalid=True/UnsupportedValue");
  });

  it("checks and returns only the Gateways asked for, with a checker kept across calls", () => {
    const checker = new XdsChecker("DualStack");
    const opts = { controllerName: CONTROLLER, ipFamily: "DualStack" as const, checker, gateways: new Set(["default/other"]) };
    const first = translateAndCheck(resourceSetFrom(objects("/x\ny")), opts);
    expect([...first.irs.keys()]).toEqual(["default/other"]);
    const route = first.statuses.find((s) => s.kind === "HTTPRoute")!.status as Conditions;
    expect(route.parents[0].conditions.map((c) => c.type)).not.toContain("PartiallyInvalid");
  });
});
