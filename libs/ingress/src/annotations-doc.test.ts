// docs/ingress-annotations.md lists every annotation a family reads, so the table cannot
// fall behind the registry.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ANNOTATION_FAMILIES } from "./annotations/registry";

const doc = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/ingress-annotations.md"), "utf8");

describe("docs/ingress-annotations.md", () => {
  for (const family of ANNOTATION_FAMILIES) {
    it(`lists every annotation of ${family.name}`, () => {
      for (const key of family.keys) {
        expect(doc.includes(`\`${key}\``), key).toBe(true);
      }
    });
  }
});
