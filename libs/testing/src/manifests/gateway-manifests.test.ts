import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { baseManifests, httpRouteManifest } from "./gateway-manifests";

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
  endpoints?: unknown;
}
const parse = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Doc);

describe("gateway manifests", () => {
  it("writes the class, Gateway, Service and (when asked) an EndpointSlice of that Service", () => {
    const docs = parse(baseManifests({ className: "c", controllerName: "example.com/x", service: "svc", endpointConditions: { ready: true, serving: false } }));
    expect(docs.map((d) => d.kind)).toEqual(["GatewayClass", "Gateway", "Service", "EndpointSlice"]);
    expect(docs[0].spec).toEqual({ controllerName: "example.com/x" });
    expect(docs[1].spec).toEqual({ gatewayClassName: "c", listeners: [{ name: "http", protocol: "HTTP", port: 8080 }] });
    expect(docs[2].metadata).toEqual({ name: "svc", namespace: "default" });
    expect(docs[3].metadata.labels).toEqual({ "kubernetes.io/service-name": "svc" });
    expect(docs[3].endpoints).toEqual([{ addresses: ["127.0.0.1"], conditions: { ready: true, serving: false } }]);
    expect(parse(baseManifests({ className: "c", controllerName: "x" })).map((d) => d.kind)).not.toContain("EndpointSlice");
  });

  it("writes an HTTPRoute with or without hostnames and a path match", () => {
    const [full] = parse(httpRouteManifest({ name: "r1", pathPrefix: "/r1/v2", hostnames: ["a.example.com"] }));
    expect(full.spec).toEqual({
      parentRefs: [{ name: "eg" }],
      hostnames: ["a.example.com"],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: "/r1/v2" } }], backendRefs: [{ name: "backend", port: 80 }] }],
    });
    const [bare] = parse(httpRouteManifest({ name: "r", service: "svc" }));
    expect(bare.spec).toEqual({ parentRefs: [{ name: "eg" }], rules: [{ backendRefs: [{ name: "svc", port: 80 }] }] });
  });
});
