// Golden tests: every testdata/<name>.in.yaml (Ingresses, IngressClasses, Services; an
// optional first line "# options: {json}") is converted and compared with
// testdata/<name>.out.yaml (the objects, then the reports). Regenerate with
// UPDATE_GOLDEN=1 and review the diff.
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { validateObject } from "@gatehouse/validation";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { convertIngresses, type ConvertOptions, type Ingress } from "./index";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata");

function load(name: string): { options: ConvertOptions; objects: Ingress[] } {
  const text = readFileSync(path.join(dir, `${name}.in.yaml`), "utf8");
  const header = /^# options: (.*)$/m.exec(text.split("\n")[0]);
  const objects = parseAllDocuments(text).map((d) => d.toJS() as Ingress).filter(Boolean);
  return { options: header ? (JSON.parse(header[1]) as ConvertOptions) : {}, objects };
}

function render(name: string): { text: string; objects: unknown[] } {
  const { options, objects } = load(name);
  const result = convertIngresses(
    {
      ingresses: objects.filter((o) => o.kind === "Ingress"),
      ingressClasses: objects.filter((o) => o.kind === "IngressClass"),
      services: objects.filter((o) => o.kind === "Service"),
    },
    options,
  );
  const docs = [...result.objects, { reports: result.reports }];
  return { text: docs.map((d) => `---\n${stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })}`).join(""), objects: result.objects };
}

describe("golden conversions", () => {
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith(".in.yaml"))
    .map((f) => f.slice(0, -".in.yaml".length))
    .sort();

  it("has fixtures", () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  for (const name of cases) {
    it(`${name} matches ${name}.out.yaml`, () => {
      const actual = render(name);
      const outFile = path.join(dir, `${name}.out.yaml`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(outFile, actual.text);
      expect(existsSync(outFile), `${outFile} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual.text).toEqual(readFileSync(outFile, "utf8"));
      // Every generated object is valid Gateway API v1.6.1, and the output is deterministic.
      for (const obj of actual.objects) expect(validateObject(obj as Parameters<typeof validateObject>[0])).toEqual([]);
      expect(render(name).text).toEqual(actual.text);
    });
  }
});
