import { describe, expect, it } from "vitest";
import { SUPPORTED_KINDS, validateObject, type GatewayApiObject } from "./validate-object";
import { seededRandom } from "../testdata/seeded-random";

const KEYS = ["rules", "matches", "path", "type", "value", "filters", "backendRefs", "listeners", "tls", "mode", "name", "port",
  "hostnames", "parentRefs", "headers", "requestMirror", "fraction", "validation", "targetRefs", "addresses", "method", "protocol"];

function junk(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 5 || r < 0.25) {
    const leaves = [null, undefined, 0, -1, 1.5, 70000, "", "/", "*", "RegularExpression", "PathPrefix", "HTTP", "(?=x)", true, [], {}];
    return leaves[Math.floor(rand() * leaves.length)];
  }
  if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => junk(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) o[KEYS[Math.floor(rand() * KEYS.length)]] = junk(rand, depth + 1);
  return o;
}

describe("robustness", () => {
  it("never throws on arbitrary shapes", () => {
    const rand = seededRandom(42);
    for (let i = 0; i < 3000; i++) {
      const object = {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: SUPPORTED_KINDS[i % SUPPORTED_KINDS.length],
        metadata: { name: "x" },
        spec: junk(rand, 0),
      } as GatewayApiObject;
      expect(() => validateObject(object)).not.toThrow();
    }
  });

  it("returns a violation, not an exception, for non-objects", () => {
    for (const bad of [null, undefined, 42, "HTTPRoute", [], { kind: 7 }]) {
      expect(validateObject(bad as unknown as GatewayApiObject).length).toBeGreaterThan(0);
    }
  });

  it("gives byte-identical results for the same input", () => {
    const object = { kind: "HTTPRoute", metadata: { name: "r" }, spec: { rules: [{ matches: [{ path: { value: "a//b" } }] }] } };
    expect(JSON.stringify(validateObject(object))).toBe(JSON.stringify(validateObject(structuredClone(object))));
  });
});
