// Golden tests: every testdata/<name>.in.yaml is translated and compared with
// testdata/<name>.out.yaml (statuses and IR). Regenerate with UPDATE_GOLDEN=1 and review the diff.
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { collectManifests, formatManifestError } from "@gatehouse/kube";
import { resourceSetFrom, translate } from "./index";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata");
const CONTROLLER = "gatehouse.dev/gatewayclass-controller";

function render(name: string): string {
  const parsed = collectManifests([{ source: `${name}.in.yaml`, text: readFileSync(path.join(dir, `${name}.in.yaml`), "utf8") }]);
  expect(parsed.errors.map(formatManifestError)).toEqual([]);
  const result = translate(resourceSetFrom(parsed.objects), { controllerName: CONTROLLER });
  // Certificates and keys are long and already covered by tls-secrets tests: elide them.
  for (const ir of result.irs) for (const s of ir.secrets) Object.assign(s, { certificateChain: "<pem>", privateKey: "<pem>" });
  for (const ir of result.irs) for (const c of ir.clusters) if (c.tls?.caCertificates) c.tls.caCertificates = "<pem>";
  return stringify({ statuses: result.statuses, irs: result.irs }, { lineWidth: 0, aliasDuplicateObjects: false });
}

describe("golden translations", () => {
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith(".in.yaml"))
    .map((f) => f.slice(0, -".in.yaml".length))
    .sort();

  it("has fixtures", () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  for (const name of cases) {
    it(`${name} matches ${name}.out.yaml`, () => {
      const actual = render(name);
      const outFile = path.join(dir, `${name}.out.yaml`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(outFile, actual);
      expect(existsSync(outFile), `${outFile} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toEqual(readFileSync(outFile, "utf8"));
      // Deterministic: the same input translates to the same bytes.
      expect(render(name)).toEqual(actual);
    });
  }
});
