import { describe, expect, it } from "vitest";
import { formatViolations } from "./format";

describe("formatViolations", () => {
  const v = (path: string, message: string) => ({ path, message });

  it("joins path and message like the API server", () => {
    expect(formatViolations([v("spec.rules[0]", "Must have port for Service reference"), v("kind", "Unsupported value")])).toBe(
      "spec.rules[0]: Must have port for Service reference; kind: Unsupported value",
    );
  });

  it("summarises what is beyond the limit", () => {
    const many = Array.from({ length: 7 }, (_, i) => v(`spec.hostnames[${i}]`, "bad"));
    expect(formatViolations(many, { max: 2 })).toBe("spec.hostnames[0]: bad; spec.hostnames[1]: bad (and 5 more)");
  });

  it("leaves out an empty path and returns an empty string for no violations", () => {
    expect(formatViolations([v("", "object must be a mapping")])).toBe("object must be a mapping");
    expect(formatViolations([])).toBe("");
  });
});
