// Shared output of every benchmark: a plain-text table on stdout and a JSON file under
// bench-results/ (or $BENCH_OUT), so numbers can be compared between runs.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Row = Record<string, string | number>;

export function printTable(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === "number" ? formatNumber(v) : v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(cell(r[c] ?? "")).length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join("  ");
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(columns.map((c) => String(cell(r[c] ?? "")))));
}

export function writeResults(name: string, data: unknown): string {
  const dir = process.env.BENCH_OUT ?? path.resolve("bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), node: process.version, data }, null, 2));
  console.log(`\nwrote ${file}`);
  return file;
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** Percentile of a sorted or unsorted sample (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
