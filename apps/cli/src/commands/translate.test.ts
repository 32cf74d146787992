import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseAllDocuments } from "yaml";
import { run } from "./translate";

const GOOD = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: gh
spec:
  controllerName: example.com/ctl
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  namespace: default
  name: gw
spec:
  gatewayClassName: gh
  listeners:
  - name: http
    port: 80
    protocol: HTTP
`;
const BROKEN = `apiVersion: v1
kind: Service
metadata:
  namespace: default
  name: [oops
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  namespace: default
  name: r
spec:
  parentRefs:
  - name: gw
`;

/** An HTTPRoute in default attached to Gateway gw; `rules` is the YAML list under spec.rules. */
const httpRoute = (name: string, rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {namespace: default, name: ${name}}
spec:
  parentRefs: [{name: gw}]
  rules:
${rules}`;

let dir: string;
let out: string;
let err: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-translate-"));
  writeFileSync(path.join(dir, "a-good.yaml"), GOOD);
  writeFileSync(path.join(dir, "b-broken.yaml"), BROKEN);
  writeFileSync(path.join(dir, "notes.txt"), "not a manifest");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
}
afterEach(() => vi.restoreAllMocks());

describe("gatehouse translate", () => {
  it("prints the status of every Gateway API object and exits 2 naming each broken document", async () => {
    capture();
    const code = await run(["-f", dir, "--controller-name", "example.com/ctl"]);
    expect(code).toBe(2);
    expect(err).toContain(`${path.join(dir, "b-broken.yaml")}#0: malformed YAML`);
    expect(err).toContain(`${path.join(dir, "b-broken.yaml")}#1 (Widget w): unknown kind example.com/v1/Widget`);
    const docs = parseAllDocuments(out).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(["GatewayClass/gh", "Gateway/gw", "HTTPRoute/r"]);
    const route = docs[2];
    expect(route.status.parents[0].conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
      "Accepted=True",
      "ResolvedRefs=True",
    ]);
    expect(docs[1].status.listeners[0].attachedRoutes).toBe(1);
  });

  it("leaves objects of other controllers as they came and uses its own default controller name", async () => {
    capture();
    const code = await run(["-f", path.join(dir, "a-good.yaml")]);
    expect(code).toBe(0);
    const docs = parseAllDocuments(out).map((d) => d.toJS());
    expect(docs.every((d) => d.status === undefined)).toBe(true);
  });

  it("prints the IR as JSON", async () => {
    capture();
    const code = await run(["-f", path.join(dir, "a-good.yaml"), "--output", "ir", "-o", "json", "--controller-name", "example.com/ctl"]);
    expect(code).toBe(0);
    const [ir] = JSON.parse(out);
    expect(ir.gateway).toEqual({ namespace: "default", name: "gw" });
    expect(ir.listeners[0].port).toBe(80);
  });

  it("reports in route status what Envoy's rules would cut from the xDS resources", async () => {
    // replaceFullPath has no pattern in Gateway API, but Envoy's path_redirect must not
    // contain CR or LF: only the xDS validation catches rule 1.
    const routes = `${GOOD}---
apiVersion: v1
kind: Service
metadata: {namespace: default, name: svc}
spec: {ports: [{port: 80}]}
---
${httpRoute(
  "partly",
  `  - matches: [{path: {type: PathPrefix, value: /ok}}]
    backendRefs: [{name: svc, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /bad}}]
    filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: "/x\\ny"}}}]
`,
)}---
${httpRoute(
  "fine",
  `  - matches: [{path: {type: PathPrefix, value: /fine}}]
    backendRefs: [{name: svc, port: 80}]
`,
)}`;
    writeFileSync(path.join(dir, "xds.yaml.in"), routes);
    capture();
    const code = await run(["-f", path.join(dir, "xds.yaml.in"), "--controller-name", "example.com/ctl", "-o", "json"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const items = JSON.parse(out).items as { metadata: { name: string }; status?: { parents: { conditions: { type: string; status: string; reason: string; message: string }[] }[] } }[];
    const conditions = (name: string) => items.find((i) => i.metadata.name === name)!.status!.parents[0]!.conditions;
    expect(conditions("partly").map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      "Accepted=True/Accepted",
      "ResolvedRefs=True/ResolvedRefs",
      "PartiallyInvalid=True/UnsupportedValue",
    ]);
    expect(conditions("partly").find((c) => c.type === "PartiallyInvalid")!.message).toMatch(/^Dropped Rule\(s\) \[1\]: Envoy would reject rule 1 match 0: .*path_redirect/);
    expect(conditions("fine").map((c) => `${c.type}=${c.status}`)).toEqual(["Accepted=True", "ResolvedRefs=True"]);
  });

  it("rejects bad arguments with usage and exit code 2", async () => {
    capture();
    expect(await run(["--output", "html", "-f", dir])).toBe(2);
    expect(err).toContain("usage: gatehouse translate");
    expect(await run([])).toBe(2);
    expect(await run(["-f", path.join(dir, "missing.yaml")])).toBe(2);
    expect(err).toContain("no such file or directory");
  });
});
