// The ProxyConfig CRD in deploy/, the validation in libs/validation and the golden inputs
// describe the same fields: every field the golden inputs set exists in the CRD schema, and
// every field of the CRD schema is exercised by at least one golden test.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validateProxyConfig } from "@gatehouse/validation";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { DEPLOY_DIR } from "./deploy-tools";

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
}

const crd = parse(readFileSync(path.join(DEPLOY_DIR, "base/crds/proxyconfig.yaml"), "utf8"));
const specSchema: Schema = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;

/** Field paths of the schema, down to values the schema does not split further (maps, lists, embedded kinds). */
function schemaFields(s: Schema, prefix: string): string[] {
  if (!s.properties) return [prefix];
  return Object.entries(s.properties).flatMap(([k, v]) => schemaFields(v, prefix ? `${prefix}.${k}` : k));
}

/** The schema fields a value sets; a key the schema does not have is reported as `!path`. */
function fieldsSet(value: unknown, s: Schema, prefix: string): string[] {
  if (!s.properties || typeof value !== "object" || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return s.properties![k] ? fieldsSet(v, s.properties![k], p) : [`!${p}`];
  });
}

const testdata = path.join(import.meta.dirname, "..", "testdata");
const goldenConfigs = readdirSync(testdata)
  .filter((f) => f.endsWith(".in.yaml"))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(testdata, f), "utf8"))
      .map((d) => d.toJS() as { kind?: string; spec?: unknown })
      .filter((d) => d.kind === "ProxyConfig")
      .map((d) => ({ file: f, object: d })),
  );

describe("ProxyConfig CRD", () => {
  it("has every field the golden inputs use, and the golden inputs use every field", () => {
    const used = new Set<string>();
    for (const { file, object } of goldenConfigs) {
      if (file.startsWith("invalid-")) continue;
      for (const f of fieldsSet(object.spec ?? {}, specSchema, "")) {
        expect(f.startsWith("!"), `${file}: ${f.slice(1)} is not in the CRD schema`).toBe(false);
        if (f) used.add(f);
      }
    }
    expect(schemaFields(specSchema, "").filter((f) => !used.has(f))).toEqual([]);
  });

  it("has no defaults, which would look set and override the GatewayClass's values in the merge", () => {
    expect(JSON.stringify(specSchema)).not.toContain('"default"');
  });

  it("the golden inputs that are meant to be valid pass validateProxyConfig", () => {
    for (const { file, object } of goldenConfigs) {
      if (!file.startsWith("invalid-")) expect(validateProxyConfig(object), file).toEqual([]);
    }
  });
});
