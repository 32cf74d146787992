import { describe, expect, it } from "vitest";
import type { HTTPFilterChain, HTTPRoute } from "@gatehouse/ir";
import { resourceSetFrom, translate, type KubeObject } from "./index";

const CONTROLLER = "gatehouse.dev/gatewayclass-controller";
const objects = (sessionPersistence: unknown, ruleName?: string): KubeObject[] =>
  [
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gh" }, spec: { controllerName: CONTROLLER } },
    { apiVersion: "v1", kind: "Service", metadata: { namespace: "default", name: "svc" }, spec: { ports: [{ name: "http", port: 80 }] } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { namespace: "default", name: "gw" },
      spec: { gatewayClassName: "gh", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
    },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { namespace: "default", name: "r" },
      spec: {
        parentRefs: [{ name: "gw" }],
        rules: [
          { ...(ruleName ? { name: ruleName } : {}), matches: [{ path: { type: "PathPrefix", value: "/app" } }], sessionPersistence, backendRefs: [{ name: "svc", port: 80 }] },
          { matches: [{ path: { type: "PathPrefix", value: "/other" } }], backendRefs: [{ name: "svc", port: 80 }] },
        ],
      },
    },
  ] as KubeObject[];

function translated(sessionPersistence: unknown, ruleName?: string) {
  const result = translate(resourceSetFrom(objects(sessionPersistence, ruleName)), { controllerName: CONTROLLER });
  const routes = (result.irs[0].listeners[0].filterChains[0] as HTTPFilterChain).virtualHosts.flatMap((vh) => vh.routes);
  const parent = (result.statuses.find((s) => s.kind === "HTTPRoute")!.status.parents as { conditions: { type: string; status: string; reason: string; message: string }[] }[])[0];
  return { routes, conditions: parent.conditions };
}
const sessionOf = (routes: HTTPRoute[], path: string) => routes.find((r) => r.match.path.value === path)?.sessionPersistence;

describe("sessionPersistence", () => {
  it("defaults to a session cookie named after the rule, scoped to the rule's path", () => {
    const { routes, conditions } = translated({});
    const session = sessionOf(routes, "/app");
    expect(session).toEqual({ type: "Cookie", name: expect.stringMatching(/^gatehouse-session-[0-9a-f]{12}$/), path: "/app" });
    expect(sessionOf(routes, "/other")).toBeUndefined();
    expect(conditions.map((c) => `${c.type}=${c.status}`)).toEqual(["Accepted=True", "ResolvedRefs=True"]);
    // An empty sessionName is no name: the generated one is used.
    expect(sessionOf(translated({ sessionName: "" }).routes, "/app")).toEqual(session);
  });

  it("gives rules their own generated names, and keeps a rule's name when the rule is renamed in place", () => {
    const a = sessionOf(translated({}, "a").routes, "/app");
    const b = sessionOf(translated({}, "b").routes, "/app");
    expect(a).not.toEqual(b);
    expect(sessionOf(translated({}, "a").routes, "/app")).toEqual(a);
  });

  it("turns absoluteTimeout of a permanent cookie into its Max-Age", () => {
    const { routes } = translated({ sessionName: "sid", absoluteTimeout: "2h", cookieConfig: { lifetimeType: "Permanent" } });
    expect(sessionOf(routes, "/app")).toEqual({ type: "Cookie", name: "sid", path: "/app", ttlMs: 7_200_000 });
  });

  it("lowercases header names (Envoy looks headers up in lowercase)", () => {
    expect(sessionOf(translated({ type: "Header", sessionName: "X-Sticky" }).routes, "/app")).toEqual({ type: "Header", name: "x-sticky" });
  });

  it.each([
    [{ absoluteTimeout: "1h" }, /cookie lifetimeType Session/],
    [{ type: "Header", absoluteTimeout: "1h" }, /type Header/],
    [{ type: "Header", cookieConfig: { lifetimeType: "Session" } }, /cookieConfig can only be set with type Cookie/],
    [{ sessionName: "a;b" }, /token characters/],
    [{ type: "Header", sessionName: "bad header" }, /cannot be a header name/],
    [{ type: "Sticky" }, /type Sticky is not supported/],
    [{ idleTimeout: "30m" }, /idleTimeout is not supported/],
  ])("drops the rule with a message when Envoy cannot honour %j", (sp, message) => {
    const { routes, conditions } = translated(sp);
    expect(routes.map((r) => r.match.path.value)).toEqual(["/other"]);
    const partial = conditions.find((c) => c.type === "PartiallyInvalid")!;
    expect(partial).toMatchObject({ status: "True", reason: "UnsupportedValue" });
    expect(partial.message).toMatch(/^Dropped Rule\(s\) \[0\]: Rule 0: sessionPersistence /);
    expect(partial.message).toMatch(message);
  });
});
