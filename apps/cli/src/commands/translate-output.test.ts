// The output and flags of `gatehouse translate` (and `gatehouse --version`): one shape
// whatever the count, flag errors that name the flag and its values, and what a user needs
// to hear about Gateways that get no Envoy configuration.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
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
let out = "";
let err = "";
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-translate-output-"));
  file = path.join(dir, "eg.yaml");
  writeFileSync(file, CLASS_AND_GATEWAY);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
function capture() {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((c) => ((out += String(c)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((c) => ((err += String(c)), true));
}

describe("gatehouse translate output and flags", () => {
  it("prints a List in JSON even for one object, and an array of IRs", async () => {
    capture();
    expect(await run(["-f", file, "--controller-name", "gateway.envoyproxy.io/gatewayclass-controller", "-o", "json"])).toBe(0);
    const list = JSON.parse(out) as { apiVersion: string; kind: string; items: { kind: string; apiVersion: string; metadata: object }[] };
    expect(list.kind).toBe("List");
    expect(list.items.map((i) => `${i.apiVersion} ${i.kind}`)).toEqual(["gateway.networking.k8s.io/v1 GatewayClass", "gateway.networking.k8s.io/v1 Gateway"]);
    capture();
    await run(["-f", file, "--controller-name", "gateway.envoyproxy.io/gatewayclass-controller", "--output", "ir", "-o", "json"]);
    expect(Array.isArray(JSON.parse(out))).toBe(true);
  });

  it("names the flag and its valid values", async () => {
    capture();
    expect(await run(["-f", file, "--output", "html"])).toBe(2);
    expect(err.split("\n")[0]).toBe('gatehouse translate: --output must be one of status, ir, xds, got "html"');
    capture();
    expect(await run(["-f", file, "-o", "xml"])).toBe(2);
    expect(err.split("\n")[0]).toBe('gatehouse translate: -o (--format) must be one of yaml, json, got "xml"');
    capture();
    expect(await run([])).toBe(2);
    expect(err.split("\n")[0]).toBe("gatehouse translate: -f (--file) is required: a manifest file, a directory or - for stdin");
  });

  it("says which Gateways get no Envoy configuration and hints at --controller-name", async () => {
    capture();
    expect(await run(["-f", file, "--output", "xds"])).toBe(0);
    expect(err).toBe(
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
    capture();
    expect(await run(["-f", malformed, "--controller-name", "gateway.envoyproxy.io/gatewayclass-controller"])).toBe(0);
    const lines = err.split("\n").filter((l) => l.includes("malformed"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gatehouse translate: Service default\/broken is malformed and ignored: spec\.ports/);
  });

  it("gatehouse --version prints the package version", async () => {
    capture();
    expect(await main(["--version"])).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(out).toBe(`gatehouse ${pkg.version}\n`);
  });
});
