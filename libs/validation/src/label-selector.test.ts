import { describe, expect, it } from "vitest";
import { compileSelector, labelKeyError, labelSelectorError, labelValueError } from "./label-selector";

describe("labelSelectorError", () => {
  it("accepts matchLabels and every operator used correctly", () => {
    expect(
      labelSelectorError({
        matchLabels: { "kubernetes.io/metadata.name": "apps", tier: "" },
        matchExpressions: [
          { key: "env", operator: "In", values: ["prod", "stage"] },
          { key: "team", operator: "NotIn", values: ["x"] },
          { key: "shared", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist", values: [] },
        ],
      }),
    ).toBeUndefined();
  });

  it("treats an absent selector as valid", () => {
    expect(labelSelectorError(undefined)).toBeUndefined();
  });

  it("rejects an unknown operator", () => {
    expect(labelSelectorError({ matchExpressions: [{ key: "env", operator: "Equals", values: ["a"] }] })).toBe(
      'matchExpressions[0]: "Equals" is not a valid label selector operator',
    );
  });

  it("rejects In without values and Exists with values", () => {
    expect(labelSelectorError({ matchExpressions: [{ key: "env", operator: "In" }] })).toContain("values set can't be empty");
    expect(labelSelectorError({ matchExpressions: [{ key: "env", operator: "Exists", values: ["a"] }] })).toContain("must be empty");
  });

  it("rejects malformed keys and values", () => {
    expect(labelSelectorError({ matchLabels: { "bad key": "x" } })).toContain("name must be");
    expect(labelSelectorError({ matchLabels: { env: "not ok" } })).toContain("label value");
    expect(labelSelectorError({ matchExpressions: [{ key: "Bad_Prefix/x", operator: "Exists" }] })).toContain("prefix must be");
  });

  it("reports wrong shapes instead of throwing", () => {
    expect(labelSelectorError("env=prod")).toBe("selector must be a mapping");
    expect(labelSelectorError({ matchExpressions: {} })).toBe("matchExpressions must be a list");
    expect(labelSelectorError({ matchExpressions: [null] })).toBe("matchExpressions[0]: expression must be a mapping");
  });
});

describe("label keys and values", () => {
  it("bounds names to 63 characters and prefixes to DNS subdomains", () => {
    expect(labelKeyError("a".repeat(63))).toBeUndefined();
    expect(labelKeyError("a".repeat(64))).toContain("at most 63");
    expect(labelKeyError("example.com/app")).toBeUndefined();
    expect(labelValueError("a".repeat(64))).toContain("at most 63");
  });
});

describe("compileSelector", () => {
  it("matches labels by matchLabels and every matchExpressions operator", () => {
    const compiled = compileSelector({
      matchLabels: { team: "web" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["prod", "staging"] },
        { key: "legacy", operator: "DoesNotExist" },
        { key: "tier", operator: "NotIn", values: ["db"] },
        { key: "owner", operator: "Exists" },
      ],
    });
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.matches({ team: "web", env: "prod", owner: "a" })).toBe(true);
    expect(compiled.matches({ team: "web", env: "dev", owner: "a" })).toBe(false);
    expect(compiled.matches({ team: "web", env: "prod", owner: "a", legacy: "" })).toBe(false);
    expect(compiled.matches({ team: "web", env: "prod", owner: "a", tier: "db" })).toBe(false);
    expect(compiled.matches({ env: "prod", owner: "a" })).toBe(false);
  });

  it("says why a selector cannot be compiled", () => {
    expect(compileSelector({ matchExpressions: [{ key: "a", operator: "In" }] })).toEqual({ ok: false, error: "operator In needs values" });
    expect(compileSelector({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] })).toEqual({ ok: false, error: "operator Exists takes no values" });
    expect(compileSelector({ matchExpressions: [{ key: "a", operator: "Near" }] })).toEqual({ ok: false, error: "unknown operator Near" });
  });
});
