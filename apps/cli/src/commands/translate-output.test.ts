// The output and flags of `gatehouse translate` (and `gatehouse --version`): one shape
// whatever the count, flag errors that name the flag and its values, and what a user needs
// to hear about Gateways that get no Envoy configuration.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRun } from "../testdata/capture-run";
import { main } from "../main";
import { run } from "./translate";

const CLASS_AND_GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: eg }
spec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { namespace: default, name: gw }
spec:
  gatewayClassName: eg
  listeners: [{ name: http, port: 80, protocol: HTTP }]
`;

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-translate-output-"));
  file = path.join(dir, "eg.yaml");
  writeFileSync(file, CLASS_AND_GATEWAY);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gatehouse translate output and flags", () => {
  it("prints a List in JSON even for one object, and an array of IRs", async () => {
    let r = await captureRun(run, ["-f", file, "--controller-name", "gateway.envoyproxy.io/gatewayclass-controller", "-o", "json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { apiVersion: string; kind: string; items: { kind: string; apiVersion: string; metadata: object }[] };
    expect(list.kind).toBe("List");
    expect(list.items.map((i) => `${i.apiVersion} ${i.kind}`)).toEqual(["gateway.networking.k8s.io/v1 GatewayClass", "gateway.networking.k8s.io/v1 Gateway"]);
    r = await captureRun(run, ["-f", file, "--controller-name", "gateway.envoyproxy.io/gatewayclass-controller", "--output", "ir", "-o", "json"]);
    expect(Array.isArray(JSON.parse(r.out))).toBe(true);
  });

  it("names the flag and its valid values", async () => {
    let r = await captureRun(run, ["-f", file, "--output", "html"]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe('gatehouse translate: --output must be one of status, ir, xds, got "html"');
    r = await captureRun(run, ["-f", file, "-o", "xml"]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe('gatehouse translate: -o (--format) must be one of yaml, json, got "xml"');
    r = await captureRun(run, []);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe("gatehouse translate: -f (--file) is required: a manifest file, a directory or - for stdin");
  });

  it("says which Gateways get no Envoy configuration and hints at --controller-name", async () => {
    const r = await captureRun(run, ["-f", file, "--output", "xds"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      [
        "gatehouse translate: Gateway default/gw gets no Envoy configuration: GatewayClass eg belongs to gateway.envoyproxy.io/gatewayclass-controller, not gatehouse.dev/gateway-controller",
        "gatehouse translate: no GatewayClass has controllerName gatehouse.dev/gateway-controller; the input's are for gateway.envoyproxy.io/gatewayclass-controller. To translate as that controller: --controller-name gateway.envoyproxy.io/gatewayclass-controller",
        "",
      ].join("\n"),
    );
  });

  it("prints each malformed object the translation left out on stderr, one line each", async () => {
    const malformed = path.join(dir, "malformed.yaml");
    writeFileSync(
      malformed,
      `${CLASS_AND_GATEWAY}---
apiVersion: v1
kind: Service
metadata: { namespace: default, name: broken }
spec: { ports: "80" }
`,
    );
    const r = await captureRun(run, ["-f", malformed, "--controller-name", "gateway.envoyproxy.io/gatewayclass-controller"]);
    expect(r.code).toBe(0);
    const lines = r.err.split("\n").filter((l) => l.includes("malformed"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gatehouse translate: Service default\/broken is malformed and ignored: spec\.ports/);
  });

  it("gatehouse --version prints the package version", async () => {
    const r = await captureRun(main, ["--version"]);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(r.out).toBe(`gatehouse ${pkg.version}\n`);
  });
});
