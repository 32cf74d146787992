import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRun } from "../testdata/capture-run";
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
`;
const MORE = `apiVersion: example.com/v1
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

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-translate-"));
  writeFileSync(path.join(dir, "a-good.yaml"), GOOD);
  writeFileSync(path.join(dir, "b-broken.yaml"), BROKEN);
  writeFileSync(path.join(dir, "c-more.yaml"), MORE);
  // Tool state is never read as manifests.
  mkdirSync(path.join(dir, "node_modules", "pkg"), { recursive: true });
  writeFileSync(path.join(dir, "node_modules", "pkg", "crd.yaml"), BROKEN);
  mkdirSync(path.join(dir, ".git"));
  writeFileSync(path.join(dir, ".git", "x.yaml"), BROKEN);
  writeFileSync(path.join(dir, "notes.txt"), "not a manifest");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gatehouse translate", () => {
  it("prints the status of every Gateway API object and exits 2 naming each broken file and line", async () => {
    const r = await captureRun(run, ["-f", dir, "--controller-name", "example.com/ctl"]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n").filter(Boolean)).toEqual([
      `gatehouse translate: ${path.join(dir, "b-broken.yaml")}:6: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      "gatehouse translate: skipped 1 object of kind Widget (example.com/v1): not a kind Gatehouse handles",
    ]);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(["GatewayClass/gh", "Gateway/gw", "HTTPRoute/r"]);
    const route = docs[2];
    expect(route.status.parents[0].conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
      "Accepted=True",
      "ResolvedRefs=True",
    ]);
    expect(docs[1].status.listeners[0].attachedRoutes).toBe(1);
  });

  it("leaves objects of other controllers as they came and uses its own default controller name", async () => {
    const r = await captureRun(run, ["-f", path.join(dir, "a-good.yaml")]);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS());
    expect(docs.every((d) => d.status === undefined)).toBe(true);
  });

  it("prints the IR as JSON", async () => {
    const r = await captureRun(run, ["-f", path.join(dir, "a-good.yaml"), "--output", "ir", "-o", "json", "--controller-name", "example.com/ctl"]);
    expect(r.code).toBe(0);
    const [ir] = JSON.parse(r.out);
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
    const r = await captureRun(run, ["-f", path.join(dir, "xds.yaml.in"), "--controller-name", "example.com/ctl", "-o", "json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const items = JSON.parse(r.out).items as { metadata: { name: string }; status?: { parents: { conditions: { type: string; status: string; reason: string; message: string }[] }[] } }[];
    const conditions = (name: string) => items.find((i) => i.metadata.name === name)!.status!.parents[0]!.conditions;
    expect(conditions("partly").map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      "Accepted=True/Accepted",
      "ResolvedRefs=True/ResolvedRefs",
      "PartiallyInvalid=True/UnsupportedValue",
    ]);
    expect(conditions("partly").find((c) => c.type === "PartiallyInvalid")!.message).toMatch(/^Dropped Rule\(s\) \[1\]: Envoy would reject rule 1 match 0: .*path_redirect/);
    expect(conditions("fine").map((c) => `${c.type}=${c.status}`)).toEqual(["Accepted=True", "ResolvedRefs=True"]);
  });

  it("skips kinds it does not handle with one line per kind and exits 0", async () => {
    const file = path.join(dir, "with-statefulset.yaml.in");
    const statefulSet = (name: string) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: ${name}}\n`;
    writeFileSync(file, `${statefulSet("a")}---\n${GOOD}---\n${statefulSet("b")}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n`);
    const r = await captureRun(run, ["-f", file, "--controller-name", "example.com/ctl"]);
    expect(r.code).toBe(0);
    expect(r.err.split("\n").filter(Boolean)).toEqual([
      "gatehouse translate: skipped 2 objects of kind StatefulSet (apps/v1): not a kind Gatehouse handles",
      "gatehouse translate: skipped 1 object of kind ServiceAccount (v1): not a kind Gatehouse handles",
    ]);
    expect(parseAllDocuments(r.out).map((d) => d.toJS().kind)).toEqual(["GatewayClass", "Gateway"]);
  });

  it("names file and line of a duplicate key, and says when the input holds no object", async () => {
    const dup = path.join(dir, "dup.yaml.in");
    writeFileSync(dup, GOOD.replace("  name: gh\n", "  name: gh\n  name: other\n"));
    let r = await captureRun(run, ["-f", dup]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gatehouse translate: ${dup}:5: duplicate key "name"\n`);
    const empty = path.join(dir, "empty.yaml.in");
    writeFileSync(empty, "# nothing yet\n");
    r = await captureRun(run, ["-f", empty]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gatehouse translate: no Kubernetes objects in ${empty}\n`);
    expect(r.out).toBe("");
  });

  it("rejects bad arguments with usage and exit code 2", async () => {
    let r = await captureRun(run, ["--output", "html", "-f", dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("usage: gatehouse translate");
    r = await captureRun(run, []);
    expect(r.code).toBe(2);
    r = await captureRun(run, ["-f", path.join(dir, "missing.yaml")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no such file or directory");
  });
});
