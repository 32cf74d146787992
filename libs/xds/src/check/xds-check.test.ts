import { describe, expect, it } from "vitest";
import { resourceSetFrom, translate, type KubeObject } from "@gatehouse/gatewayapi";
import type { GatewayIR } from "@gatehouse/ir";
import { buildGatewayResources, validateGatewayResources, type ValidationFailure } from "../index";
import { XdsChecker } from "./xds-check";

const CONTROLLER = "example.com/test-controller";

function irWith(routes: { name: string; redirectPaths: (string | undefined)[] }[]): GatewayIR {
  const objects: KubeObject[] = [
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gc" }, spec: { controllerName: CONTROLLER } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "gw", namespace: "default" },
      spec: {
        gatewayClassName: "gc",
        listeners: [
          { name: "a", protocol: "HTTP", port: 8080, hostname: "a.example.com" },
          { name: "b", protocol: "HTTP", port: 8080, hostname: "b.example.com" },
        ],
      },
    },
    { apiVersion: "v1", kind: "Service", metadata: { name: "svc", namespace: "default" }, spec: { ports: [{ port: 80 }] } },
  ];
  for (const r of routes) {
    objects.push({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: r.name, namespace: "default" },
      spec: {
        parentRefs: [{ name: "gw" }],
        rules: r.redirectPaths.map((p, i) => ({
          matches: [{ path: { type: "PathPrefix", value: `/${r.name}/${i}` } }],
          ...(p === undefined
            ? { backendRefs: [{ name: "svc", port: 80 }] }
            : { filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: p } } }] }),
        })),
      },
    });
  }
  const result = translate(resourceSetFrom(objects), { controllerName: CONTROLLER, checkEndpoints: false });
  expect(result.irs).toHaveLength(1);
  return result.irs[0]!;
}

/** What a failure says, without where the route sat in the RouteConfiguration. */
const summary = (failures: ValidationFailure[]) =>
  failures
    .map((f) => `${f.source?.name}#${f.source?.ruleIndex}:${f.issues.map((i) => `${i.path.replace(/^virtual_hosts\[\d+\]\.routes\[\d+\]\./, "")} ${i.rule}`).join(",")}`)
    .sort();
const full = (ir: GatewayIR) => validateGatewayResources(buildGatewayResources(ir, { ipFamily: "DualStack" })).failures;

describe("XdsChecker", () => {
  it("reports what a full validation reports, from its memory for routes it has seen", () => {
    const checker = new XdsChecker("DualStack");
    const first = irWith([
      { name: "ok", redirectPaths: [undefined, "/fine"] },
      { name: "bad", redirectPaths: [undefined, "/x\ny"] },
    ]);
    const expected = summary(full(first));
    // The route is served on two listeners (two virtual hosts): Envoy's full check sees it twice.
    expect(expected).toEqual(["bad#1:redirect.path_redirect string.well_known_regex", "bad#1:redirect.path_redirect string.well_known_regex"]);
    expect([...new Set(summary(checker.check("default/gw", first)))]).toEqual([expected[0]]);
    // Again, now all from memory; a new broken route is validated and joins.
    expect(summary(checker.check("default/gw", first))).toEqual([expected[0]]);
    const second = irWith([
      { name: "ok", redirectPaths: [undefined, "/fine"] },
      { name: "bad", redirectPaths: [undefined, "/x\ny"] },
      { name: "new", redirectPaths: ["/a\rb"] },
    ]);
    expect(summary(checker.check("default/gw", second))).toEqual([...new Set(summary(full(second)))]);
    expect(summary(checker.check("default/gw", second))).toContain("new#0:redirect.path_redirect string.well_known_regex");
    // Fixed: nothing left; forgetting the Gateway starts from scratch with the same answer.
    const fixed = irWith([{ name: "bad", redirectPaths: [undefined, "/x"] }]);
    expect(checker.check("default/gw", fixed)).toEqual([]);
    checker.forget("default/gw");
    expect(summary(checker.check("default/gw", second))).toEqual([...new Set(summary(full(second)))]);
  });
});
