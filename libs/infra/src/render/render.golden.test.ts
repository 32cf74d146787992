// Golden tests of the renderer: every testdata/<name>.in.yaml (a GatewayClass, a Gateway,
// ProxyConfigs, and optionally a test-only `kind: ClusterFacts` document) is resolved and
// rendered, and the result compared with testdata/<name>.out.yaml: the objects, or the
// InvalidParameters condition. Regenerate with UPDATE_GOLDEN=1 and review the diff.
// Every rendered object must also parse as its Kubernetes kind, and every bootstrap and SDS
// file must pass Envoy's own proto rules.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { validateObject } from "@gatehouse/validation";
import { encodeResource, SECRET_TYPE } from "@gatehouse/xds";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import type { ClusterFacts } from "../cluster-facts";
import { resolveProxyParameters, type GatewayClassInput, type GatewayInput } from "@gatehouse/gatewayapi";
import { kubeSchemaErrors } from "../kube-schema/kube-schema";
import { BOOTSTRAP_FILE } from "./bootstrap-config-map";
import { renderInfrastructure, type InfraObject } from "./render-infrastructure";

const dir = path.join(import.meta.dirname, "..", "testdata");
const BOOTSTRAP_TYPE_URL = "type.googleapis.com/envoy.config.bootstrap.v3.Bootstrap";

const DEFAULT_FACTS: ClusterFacts = {
  ipFamilies: ["IPv4"],
  xdsServer: { host: "gatehouse-xds-server.gatehouse.svc.cluster.local", port: 18000 },
  controlPlaneNamespace: "gatehouse",
};

interface Case {
  gatewayClass: GatewayClassInput;
  gateway: GatewayInput;
  proxyConfigs: Record<string, unknown>[];
  facts: ClusterFacts;
}

function readCase(name: string): Case {
  const docs = parseAllDocuments(readFileSync(path.join(dir, `${name}.in.yaml`), "utf8")).map((d) => d.toJS() as Record<string, unknown>);
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
  return {
    gatewayClass: byKind("GatewayClass")[0] as unknown as GatewayClassInput,
    gateway: byKind("Gateway")[0] as unknown as GatewayInput,
    proxyConfigs: byKind("ProxyConfig"),
    facts: { ...DEFAULT_FACTS, ...((byKind("ClusterFacts")[0]?.facts as Partial<ClusterFacts>) ?? {}) },
  };
}

function run(c: Case) {
  const lookup = (namespace: string, name: string) =>
    c.proxyConfigs.find((p) => {
      const m = p.metadata as { name?: string; namespace?: string };
      return m.name === name && (m.namespace ?? "default") === namespace;
    });
  const params = resolveProxyParameters(c.gatewayClass, c.gateway, lookup);
  if (!params.ok) return { params };
  return { params, rendered: renderInfrastructure(c.gateway, params.spec, c.facts) };
}

/** Bootstraps are long and covered by the default and ip-family cases; elsewhere only their digest shows. */
function showBootstrap(name: string): boolean {
  return name.startsWith("default") || name.startsWith("ip-family");
}

function format(name: string, result: ReturnType<typeof run>): string {
  if (!result.rendered) return stringify({ invalid: { on: result.params.ok ? "" : result.params.on, condition: result.params.ok ? {} : result.params.condition } }, { lineWidth: 0 });
  const objects = result.rendered.objects.map((o) =>
    o.kind === "ConfigMap" && !showBootstrap(name) ? { ...o, data: Object.fromEntries(Object.keys((o as { data: object }).data).map((k) => [k, "<elided>"])) } : o,
  );
  return [...objects, result.rendered.clientCertSecret].map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".in.yaml"))
  .map((f) => f.slice(0, -".in.yaml".length))
  .sort();

describe("renderInfrastructure golden files", () => {
  it("has the fixtures", () => {
    expect(cases.length).toBeGreaterThan(15);
  });

  for (const name of cases) {
    it(`${name} matches ${name}.out.yaml`, async () => {
      const c = readCase(name);
      // The inputs are what the API server would have admitted.
      expect(validateObject(c.gateway as never)).toEqual([]);
      expect(validateObject({ apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", ...c.gatewayClass } as never)).toEqual([]);
      const result = run(c);
      const actual = format(name, result);
      const outFile = path.join(dir, `${name}.out.yaml`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(outFile, actual);
      expect(existsSync(outFile), `${outFile} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(outFile, "utf8"));
      // Pure: the same input renders the same bytes.
      expect(format(name, run(readCase(name)))).toBe(actual);
      if (!result.rendered) return;
      for (const o of [...result.rendered.objects, result.rendered.clientCertSecret]) {
        expect(await kubeSchemaErrors(o), `${o.kind} parses as its kind`).toEqual([]);
      }
      expectEnvoyAccepts(result.rendered.objects);
    });
  }
});

function expectEnvoyAccepts(objects: InfraObject[]): void {
  const cm = objects.find((o) => o.kind === "ConfigMap") as { data: Record<string, string> };
  for (const [file, text] of Object.entries(cm.data)) {
    const json = (file === BOOTSTRAP_FILE ? parse(text) : JSON.parse(text)) as { resources?: Record<string, unknown>[] };
    if (file === BOOTSTRAP_FILE) expect(() => encodeResource(BOOTSTRAP_TYPE_URL, json)).not.toThrow();
    else for (const { "@type": _type, ...secret } of json.resources ?? []) expect(() => encodeResource(SECRET_TYPE.typeUrl, secret)).not.toThrow();
  }
}
