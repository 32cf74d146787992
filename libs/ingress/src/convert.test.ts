import { describe, expect, it } from "vitest";
import { hostCovers } from "./gateways";
import { convertIngresses, isIncomplete, type Ingress, type IngressClass } from "./index";
import { convertPath } from "./paths";

const ours: IngressClass = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "gh" }, spec: { controller: "gatehouse.dev/ingress-controller" } };

function ingress(name: string, created: string, host: string, path: string, service: string, annotations: Record<string, string> = {}): Ingress {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { namespace: "default", name, creationTimestamp: created, annotations },
    spec: { ingressClassName: "gh", rules: [{ host, http: { paths: [{ path, pathType: "Prefix", backend: { service: { name: service, port: { number: 80 } } } }] } }] },
  };
}

describe("convertIngresses", () => {
  it("gives the same bytes whatever the order of its input", () => {
    const list = [
      ingress("b", "2024-02-01T00:00:00Z", "x.example.com", "/", "svc-b"),
      ingress("a", "2024-03-01T00:00:00Z", "x.example.com", "/", "svc-a"),
      ingress("c", "2024-01-01T00:00:00Z", "y.example.com", "/api", "svc-c", { "nginx.ingress.kubernetes.io/enable-cors": "true" }),
    ];
    const one = JSON.stringify(convertIngresses({ ingresses: list, ingressClasses: [ours] }));
    const other = JSON.stringify(convertIngresses({ ingresses: [...list].reverse(), ingressClasses: [ours] }));
    expect(other).toEqual(one);
  });

  it("lets the older Ingress keep a contested host and path, whatever the names", () => {
    const result = convertIngresses({
      ingresses: [ingress("a-newer", "2024-03-01T00:00:00Z", "x.example.com", "/", "new"), ingress("z-older", "2024-01-01T00:00:00Z", "x.example.com", "/", "old")],
      ingressClasses: [ours],
    });
    const routes = result.objects.filter((o) => o.kind === "HTTPRoute");
    expect(routes.map((r) => r.metadata?.name)).toEqual(["z-older"]);
    const newer = result.reports.find((r) => r.ingress.name === "a-newer")!;
    expect(isIncomplete(newer)).toBe(true);
    expect(newer.problems[0]).toContain("claimed by the older Ingress default/z-older");
    expect(isIncomplete(result.reports.find((r) => r.ingress.name === "z-older")!)).toBe(false);
  });

  it("skips Ingresses of other controllers without calling them incomplete", () => {
    const other = { ...ingress("x", "2024-01-01T00:00:00Z", "x.example.com", "/", "s"), spec: { ingressClassName: "nginx" } };
    const result = convertIngresses({ ingresses: [other], ingressClasses: [ours, { ...ours, metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } }] });
    expect(result.objects).toEqual([]);
    expect(result.reports[0].selected).toBe(false);
    expect(isIncomplete(result.reports[0])).toBe(false);
  });
});

describe("convertPath", () => {
  it("keeps Prefix element-wise and treats ImplementationSpecific as a prefix", () => {
    expect(convertPath("/foo/", "Prefix", false)).toEqual({ match: { type: "PathPrefix", value: "/foo" } });
    expect(convertPath("/foo", "ImplementationSpecific", false)).toEqual({ match: { type: "PathPrefix", value: "/foo" } });
    expect(convertPath(undefined, "Prefix", false)).toEqual({ match: { type: "PathPrefix", value: "/" } });
  });

  it("anchors regex paths at the start, case-insensitively, and keeps a closing $", () => {
    expect(convertPath("/a[0-9]+", "ImplementationSpecific", true)).toEqual({ match: { type: "RegularExpression", value: "(?i)/a[0-9]+.*" } });
    expect(convertPath("^/a$", "Prefix", true)).toEqual({ match: { type: "RegularExpression", value: "(?i)/a" } });
  });

  it("turns the capture idiom into a prefix replacement", () => {
    expect(convertPath("/api(/|$)(.*)", "ImplementationSpecific", true, "/$2")).toEqual({
      match: { type: "PathPrefix", value: "/api" },
      rewrite: { type: "ReplacePrefixMatch", value: "/" },
    });
  });

  it("rejects unknown path types", () => {
    expect(convertPath("/", "Glob", false)).toMatch(/pathType "Glob"/);
  });
});

describe("hostCovers", () => {
  it("matches wildcards on any number of labels, never the bare domain", () => {
    expect(hostCovers("*.example.com", "a.example.com")).toBe(true);
    expect(hostCovers("*.example.com", "a.b.example.com")).toBe(true);
    expect(hostCovers("*.example.com", "example.com")).toBe(false);
    expect(hostCovers("*.example.com", "*.a.example.com")).toBe(true);
    expect(hostCovers("", "anything.example.com")).toBe(true);
    expect(hostCovers("a.example.com", "")).toBe(false);
  });
});

describe("input of the wrong shape", () => {
  it("is reported on the Ingress, not thrown", () => {
    const broken = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "b", namespace: "default" }, spec: { rules: [{ host: 42 }] } };
    const services = [{ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [null] } }];
    const result = convertIngresses({ ingresses: [broken], ingressClasses: [ours], services });
    expect(result.objects).toEqual([]);
    expect(result.reports[0].problems).toEqual(["spec.rules[0].host must be a string; the Ingress is not converted"]);
  });
});
