import { describe, expect, it } from "vitest";
import { canonicalJSON } from "./canonical-json";
import { gatewayKey, parseGatewayKey } from "./gateway-ir";

describe("canonicalJSON", () => {
  it("gives the same bytes whatever the key order, at every depth", () => {
    const a = { b: 1, a: { d: [{ y: 2, x: 1 }], c: "s" } };
    const b = { a: { c: "s", d: [{ x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJSON(a)).toBe(canonicalJSON(b));
    expect(canonicalJSON(a)).toBe('{"a":{"c":"s","d":[{"x":1,"y":2}]},"b":1}');
  });

  it("drops undefined fields but keeps null and array order", () => {
    expect(canonicalJSON({ a: undefined, b: null, c: [3, 1, 2] })).toBe('{"b":null,"c":[3,1,2]}');
  });
});

describe("gateway keys", () => {
  it("round-trips namespace/name, including names with dots", () => {
    const ref = { namespace: "team-a", name: "gw.example.com" };
    expect(gatewayKey(ref)).toBe("team-a/gw.example.com");
    expect(parseGatewayKey(gatewayKey(ref))).toEqual(ref);
  });

  it.each(["", "noslash", "/name", "ns/"])("rejects the malformed key %j", (key) => {
    expect(() => parseGatewayKey(key)).toThrow(/invalid gateway key/);
  });
});
