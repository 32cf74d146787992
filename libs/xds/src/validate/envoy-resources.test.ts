// Envoy resources through the whole gate (conversion, PGV validation, encoding): broken
// ones are caught with the path and rule of each fault, valid ones encode to stable bytes.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TYPE_URLS, messageType } from "../proto/envoy-protos";
import { fromJSON } from "../proto/proto-json";
import { validateMessage } from "./validator";
import { ResourceValidationError, decodeResource, encodeResource, resourceVersion } from "../proto/resource-codec";

const TESTDATA = path.join(import.meta.dirname, "testdata");

interface BrokenCase {
  type_url: string;
  resource: object;
  issues: Array<{ path: string; rule: string }>;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

function rejection(typeUrl: string, resource: object): ResourceValidationError {
  try {
    encodeResource(typeUrl, resource);
  } catch (err) {
    if (err instanceof ResourceValidationError) return err;
    throw err;
  }
  throw new Error("resource was accepted");
}

const brokenDir = path.join(TESTDATA, "broken");
const brokenCases = readdirSync(brokenDir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => [f.replace(/\.json$/, ""), readJson(path.join(brokenDir, f)) as BrokenCase] as const);

const VALID: Array<[string, string]> = [
  ["valid-listener.json", TYPE_URLS.listener],
  ["valid-route.json", TYPE_URLS.route],
  ["valid-cluster.json", TYPE_URLS.cluster],
  ["valid-endpoints.json", TYPE_URLS.endpoint],
  ["valid-listener-tls.json", TYPE_URLS.listener],
];

describe("broken resources are caught", () => {
  it("has fixtures", () => expect(brokenCases.length).toBeGreaterThanOrEqual(10));

  it.each(brokenCases)("%s", (_name, c) => {
    const err = rejection(c.type_url, c.resource);
    expect(err.issues.map(({ path, rule }) => ({ path, rule }))).toEqual(c.issues);
    for (const issue of err.issues) expect(issue.message).not.toBe("");
    expect(err.resourceName).toBe((c.resource as { name?: string; cluster_name?: string }).name ?? (c.resource as { cluster_name?: string }).cluster_name);
  });

  it.each(brokenCases.filter(([, c]) => !c.issues.some((i) => i.rule.startsWith("json."))))(
    "%s: the same issues from decoded bytes (typed_config decoded by type URL)",
    (_name, c) => {
      const type = messageType(c.type_url);
      const decoded = type.decode(type.encode(fromJSON(c.type_url, c.resource)).finish());
      expect(validateMessage(type, decoded).map(({ path, rule }) => ({ path, rule }))).toEqual(c.issues);
    },
  );

  it("explains an RE2 failure the way Envoy would see it", () => {
    const [, c] = brokenCases.find(([name]) => name === "route-invalid-regex")!;
    const err = rejection(c.type_url, c.resource);
    expect(err.issues[1].message).toContain("lookahead");
    expect(err.message).toContain('invalid RouteConfiguration "default/gw/http"');
  });
});

describe("valid resources", () => {
  it.each(VALID)("%s passes, and decode/encode round trips byte for byte", (file, typeUrl) => {
    const json = readJson(path.join(TESTDATA, file)) as object;
    const first = encodeResource(typeUrl, json);
    const decoded = decodeResource(typeUrl, first.bytes);
    const again = encodeResource(typeUrl, decoded);
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(again.version).toBe(first.version);
    // The canonical JSON is a fixed point.
    expect(decodeResource(typeUrl, again.bytes)).toEqual(decoded);
  });

  it("gives the same bytes and version for the same content, whatever the key order", () => {
    const json = readJson(path.join(TESTDATA, "valid-route.json")) as Record<string, unknown>;
    const reversed = reverseKeys(json) as object;
    const a = encodeResource(TYPE_URLS.route, json);
    const b = encodeResource(TYPE_URLS.route, reversed);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(b.version).toBe(a.version);
    expect(a.version).toBe(resourceVersion(a.bytes));
    expect(a.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives a different version when the content changes", () => {
    const json = readJson(path.join(TESTDATA, "valid-cluster.json")) as Record<string, unknown>;
    const a = encodeResource(TYPE_URLS.cluster, json);
    const b = encodeResource(TYPE_URLS.cluster, { ...json, connect_timeout: "11s" });
    expect(b.version).not.toBe(a.version);
    expect(a.name).toBe("default/backend-a/8080");
  });
});

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) out[k] = reverseKeys((v as Record<string, unknown>)[k]);
  return out;
}
