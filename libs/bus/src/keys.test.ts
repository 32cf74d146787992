import { describe, expect, it } from "vitest";
import { decodeKey, decodeKeyPart, encodeKey, encodeKeyPart, gatewayBusKey, isObjectKey, KeyError, keyFilter } from "./keys";

const NATS_KV_KEY = /^[-/_=.a-zA-Z0-9]+$/;

describe("bus keys", () => {
  it.each([
    [{ kind: "HTTPRoute", namespace: "default", name: "web" }, "HTTPRoute.default.web"],
    [{ kind: "Service", namespace: "team-a", name: "api.v2.internal" }, "Service.team-a.api_2Ev2_2Einternal"],
    [{ kind: "GatewayClass", namespace: "", name: "gatehouse" }, "GatewayClass._.gatehouse"],
    [{ kind: "GatewayClass", name: "gatehouse" }, "GatewayClass._.gatehouse"],
    [{ kind: "Secret", namespace: "ns", name: "a_b/c=d" }, "Secret.ns.a_5Fb_2Fc_3Dd"],
  ])("encodes %j as %s and back", (key, encoded) => {
    expect(encodeKey(key)).toBe(encoded);
    expect(decodeKey(encoded)).toEqual({ namespace: "", ...key });
  });

  it("round-trips dots, uppercase, unicode and 253-character names as valid NATS keys of three tokens", () => {
    const names = [
      "a.b.c.d",
      ".leading.and.trailing.",
      "x".repeat(253),
      ("seg." + "y".repeat(58)).repeat(4).slice(0, 253),
      "UPPER.case",
      "ünïcødé-名前",
      "_",
      "__",
      "_2E",
    ];
    for (const name of names) {
      for (const namespace of ["", "kube-system", "n.s"]) {
        const key = { kind: "EndpointSlice", namespace, name };
        const encoded = encodeKey(key);
        expect(encoded).toMatch(NATS_KV_KEY);
        expect(encoded.split(".")).toHaveLength(3);
        expect(decodeKey(encoded)).toEqual(key);
      }
    }
  });

  it("gives different keys to names that differ only by escaping", () => {
    const keys = ["a.b", "a_2Eb", "a_b", "a/b", "a--b", "a-b"].map((name) => encodeKey({ kind: "K", namespace: "n", name }));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("encodes gateway keys as Gateway objects", () => {
    expect(gatewayBusKey({ namespace: "infra", name: "edge.gw" })).toBe("Gateway.infra.edge_2Egw");
    expect(decodeKey(gatewayBusKey({ namespace: "infra", name: "edge.gw" }))).toEqual({
      kind: "Gateway",
      namespace: "infra",
      name: "edge.gw",
    });
  });

  it("rejects tokens the encoder cannot produce", () => {
    for (const bad of ["a.b", "K.n", "K.n.a.b", "K.n.a_2", "K.n.a_zz", "K.n.a_61", "K.n.a_2e", "K..n", "K.n.a b"]) {
      expect(() => decodeKey(bad), bad).toThrow(KeyError);
      expect(isObjectKey(bad)).toBe(false);
    }
    expect(() => decodeKeyPart("_FF")).toThrow(KeyError); // not UTF-8
    expect(() => encodeKey({ kind: "", name: "x" })).toThrow(KeyError);
    expect(() => encodeKey({ kind: "Service", namespace: "n", name: "" })).toThrow(KeyError);
  });

  it("builds filters for a kind, a namespace, and cluster-scoped objects", () => {
    expect(keyFilter({ kind: "HTTPRoute" })).toBe("HTTPRoute.*.*");
    expect(keyFilter({ kind: "Service", namespace: "a.b" })).toBe("Service.a_2Eb.*");
    expect(keyFilter({ kind: "GatewayClass", namespace: "" })).toBe("GatewayClass._.*");
    expect(keyFilter()).toBe("*.*.*");
    expect(encodeKeyPart("")).toBe("_");
  });
});
