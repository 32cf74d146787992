import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { celRuleNames } from "./schema";
import { validateObject, type GatewayApiObject } from "./validate-object";

interface Fixture {
  case: string;
  channel?: "standard" | "experimental";
  violations: { path: string; rule?: string; message?: string }[];
  object: GatewayApiObject;
}

const dir = new URL("../testdata/crd/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
const fixtures = files.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, dir), "utf8")).map((doc) => ({ file, ...(doc.toJS() as Fixture) })),
);

describe("validateObject fixtures", () => {
  for (const file of files) {
    describe(file, () => {
      for (const f of fixtures.filter((x) => x.file === file)) {
        it(f.case, () => {
          expect(validateObject(f.object, { channel: f.channel })).toMatchObject(f.violations);
        });
      }
    });
  }

  it("has a failing fixture for every CEL rule", () => {
    const covered = new Set(fixtures.flatMap((f) => f.violations.map((v) => v.rule)));
    expect(celRuleNames().filter((name) => !covered.has(name))).toEqual([]);
  });
});
