// Golden-file comparison for tests: compares `actual` with the stored file, or rewrites the
// file when UPDATE_GOLDEN=1 so a review reads the change as a diff.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function formatGolden(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Returns the stored text (after rewriting it when asked); the caller asserts equality. */
export function golden(file: string, actual: string): string {
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  return readFileSync(file, "utf8");
}
