import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { issueCertificate, makeCa } from "@gatehouse/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRun } from "../testdata/capture-run";
import { parseAllDocuments, stringify } from "yaml";
import { run as convert } from "./convert";
import { run as translate } from "./translate";

// A small but real migration: a class of ours, two Services (one with a named port), a TLS
// Secret in the shop namespace, Ingresses with TLS, a canary, gRPC, CORS, a rewrite, regex paths
// and a catch-all, all of which Gateway API can carry.
const CLASS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: gatehouse
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: gatehouse.dev/ingress-controller}
`;
const SERVICES = ["web", "api", "next", "grpc", "fallback"]
  .map(
    (name) => `---
apiVersion: v1
kind: Service
metadata: {namespace: shop, name: ${name}}
spec:
  ports: [{name: http, port: 8080}]
`,
  )
  .join("");
const INGRESSES = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
  name: storefront
  creationTimestamp: "2024-01-01T00:00:00Z"
  annotations:
    nginx.ingress.kubernetes.io/enable-cors: "true"
spec:
  tls:
  - {hosts: [shop.example.com], secretName: shop-tls}
  defaultBackend: {service: {name: fallback, port: {name: http}}}
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
      - {path: /cart, pathType: Exact, backend: {service: {name: web, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
  name: api
  creationTimestamp: "2024-01-02T00:00:00Z"
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
  name: items
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
spec:
  rules:
  - host: "*.shop.example.com"
    http:
      paths:
      - {path: "/v[0-9]+/items", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
  name: storefront-canary
  creationTimestamp: "2024-01-03T00:00:00Z"
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-weight: "10"
    nginx.ingress.kubernetes.io/canary-by-header: X-Next
    nginx.ingress.kubernetes.io/canary-by-header-value: "yes"
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: next, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
  name: rpc
  annotations:
    nginx.ingress.kubernetes.io/backend-protocol: GRPC
spec:
  rules:
  - host: grpc.example.com
    http:
      paths:
      - {path: /shop.Catalog, pathType: Prefix, backend: {service: {name: grpc, port: {number: 8080}}}}
`;
const LOSSY = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
  name: lossy
  annotations:
    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
spec:
  ingressClassName: gatehouse
  rules:
  - host: lossy.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-convert-"));
  writeFileSync(path.join(dir, "class.yaml"), CLASS);
  writeFileSync(path.join(dir, "services.yaml"), SERVICES);
  writeFileSync(path.join(dir, "ingresses.yaml"), INGRESSES);
  writeFileSync(path.join(dir, "lossy.yml.txt"), LOSSY);
  writeFileSync(path.join(dir, "broken.yml.txt"), "apiVersion: v1\nkind: [oops\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gatehouse convert ingress", () => {
  it("prints Gateway API objects that gatehouse translate accepts, every route Accepted=True", async () => {
    let r = await captureRun(convert, ["ingress", "-f", dir]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      "Ingress shop/storefront: converted -> HTTPRoute shop/storefront-any-host, HTTPRoute shop/storefront-https-redirect, HTTPRoute shop/storefront-shop-example-com",
    );
    expect(r.err).toContain("Ingress shop/storefront-canary: converted -> canary of Ingress shop/storefront");
    expect(r.err).not.toContain("problem");
    const generated = parseAllDocuments(r.out).map((d) => d.toJS());
    expect(generated.map((d) => d.kind).sort()).toEqual(
      ["GRPCRoute", "Gateway", "GatewayClass", ...Array(6).fill("HTTPRoute"), "ReferenceGrant"].sort(),
    );

    // Feed the output back, with the Services and the certificate Secret, into `gatehouse translate`.
    const ca = makeCa("convert-test-ca");
    const leaf = issueCertificate(ca, "shop.example.com", "server", ["shop.example.com"]);
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { namespace: "shop", name: "shop-tls" },
      type: "kubernetes.io/tls",
      data: { "tls.crt": leaf.cert.toString("base64"), "tls.key": leaf.key.toString("base64") },
    };
    const file = path.join(dir, "translated-input.json.txt");
    writeFileSync(file, `${r.out}${SERVICES}---\n${stringify(secret)}`);
    r = await captureRun(translate, ["-f", file, "-o", "json"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const items = JSON.parse(r.out).items as { kind: string; metadata: { name: string }; status?: { parents?: { conditions: { type: string; status: string; message: string }[] }[]; conditions?: { type: string; status: string }[] } }[];
    const routes = items.filter((i) => i.kind.endsWith("Route"));
    expect(routes).toHaveLength(7);
    for (const route of routes) {
      expect(route.status?.parents?.length, route.metadata.name).toBeGreaterThan(0);
      for (const parent of route.status!.parents!) {
        for (const type of ["Accepted", "ResolvedRefs"]) {
          const c = parent.conditions.find((x) => x.type === type);
          expect({ route: route.metadata.name, type, status: c?.status, message: c?.message }).toMatchObject({ status: "True" });
        }
      }
    }
    const gateway = items.find((i) => i.kind === "Gateway")!;
    expect(gateway.status!.conditions!.filter((c) => c.type === "Programmed").map((c) => c.status)).toEqual(["True"]);
  });

  it("exits 3 and says what was not carried over", async () => {
    const r = await captureRun(convert, ["ingress", "-f", path.join(dir, "class.yaml"), "-f", path.join(dir, "lossy.yml.txt")]);
    expect(r.code).toBe(3);
    expect(r.err).toContain("Ingress shop/lossy: converted with problems -> HTTPRoute shop/lossy");
    expect(r.err).toContain('reported  nginx.ingress.kubernetes.io/whitelist-source-range="10.0.0.0/8": Gateway API has no client address filter');
    expect(parseAllDocuments(r.out).map((d) => d.toJS().kind)).toContain("HTTPRoute");
  });

  it("converts any class with --ingress-class and attaches to an existing Gateway with --gateway", async () => {
    const nginx = LOSSY.replace("ingressClassName: gatehouse", "ingressClassName: nginx").replace(/ {2}annotations:\n.*\n/, "");
    writeFileSync(path.join(dir, "nginx.yml.txt"), nginx);
    let r = await captureRun(convert, ["ingress", "-f", path.join(dir, "nginx.yml.txt"), "--ingress-class", "nginx", "--gateway", "infra/shared", "-o", "json"]);
    expect(r.code).toBe(0);
    const route = JSON.parse(r.out);
    expect(route.kind).toBe("HTTPRoute");
    expect(route.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "infra", name: "shared" }]);
    r = await captureRun(convert, ["ingress", "-f", path.join(dir, "nginx.yml.txt")]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toContain("skipped: IngressClass nginx (from spec.ingressClassName) does not exist");
  });

  it("exits 2 on unreadable input and bad flags", async () => {
    let r = await captureRun(convert, ["ingress", "-f", path.join(dir, "missing.yaml")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("missing.yaml: no such file or directory");
    r = await captureRun(convert, ["ingress", "-f", path.join(dir, "broken.yml.txt")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("broken.yml.txt:3: malformed YAML");
    r = await captureRun(convert, ["ingress", "-f", dir, "--gateway", "no-slash"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--gateway must be NAMESPACE/NAME");
    r = await captureRun(convert, ["routes"]);
    expect(r.code).toBe(2);
  });
});
