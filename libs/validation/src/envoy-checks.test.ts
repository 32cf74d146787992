import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { GatewayApiObject, Violation } from "./crd";
import { envoyViolations } from "./envoy-checks";

interface Fixture {
  case: string;
  violations: Partial<Violation>[];
  object: GatewayApiObject;
}

const fixtures = parseAllDocuments(readFileSync(new URL("./testdata/envoy/routes.yaml", import.meta.url), "utf8")).map(
  (d) => d.toJS() as Fixture,
);

describe("envoyViolations", () => {
  it.each(fixtures)("$case", ({ object, violations }) => {
    expect(envoyViolations(object)).toMatchObject(violations);
  });

  it("ignores objects of any other shape instead of throwing", () => {
    expect(envoyViolations(null as unknown as GatewayApiObject)).toEqual([]);
    expect(envoyViolations({ kind: "HTTPRoute", spec: { rules: "x" } })).toEqual([]);
    expect(envoyViolations({ kind: "HTTPRoute", spec: { rules: [{ matches: [{ path: { type: "RegularExpression", value: 5 } }] }] } })).toEqual([]);
  });
});
