import { describe, expect, it } from "vitest";
import { fromJSON } from "./proto-json";
import { toJSON } from "./proto-json-out";
import { ProtoJsonError } from "./json-scalars";
import { messageType } from "./envoy-protos";

const LISTENER = "envoy.config.listener.v3.Listener";
const ROUTE = "envoy.config.route.v3.Route";
const CLUSTER = "envoy.config.cluster.v3.Cluster";
const HCM = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

function conversionError(typeName: string, json: unknown): ProtoJsonError {
  try {
    fromJSON(typeName, json);
  } catch (err) {
    if (err instanceof ProtoJsonError) return err;
    throw err;
  }
  throw new Error("conversion succeeded");
}

function roundTrip(typeName: string, json: unknown): Record<string, unknown> {
  const type = messageType(typeName);
  return toJSON(typeName, type.decode(type.encode(fromJSON(typeName, json)).finish()));
}

describe("fromJSON", () => {
  it("rejects an unknown field with its path and the field it probably meant", () => {
    const err = conversionError(CLUSTER, { name: "c", conect_timeout: "1s" });
    expect(err.path).toBe("conect_timeout");
    expect(err.rule).toBe("json.unknown_field");
    expect(err.message).toContain('did you mean "connect_timeout"');
  });

  it("rejects an unknown field inside a typed_config, with the path through the Any", () => {
    const err = conversionError(LISTENER, {
      name: "l",
      filter_chains: [{ filters: [{ name: "hcm", typed_config: { "@type": HCM, stat_prefx: "x" } }] }],
    });
    expect(err.path).toBe("filter_chains[0].filters[0].typed_config.stat_prefx");
    expect(err.rule).toBe("json.unknown_field");
  });

  it("rejects wrong types instead of coercing them", () => {
    expect(conversionError(LISTENER, { address: { socket_address: { port_value: "http" } } }).path).toBe(
      "address.socket_address.port_value",
    );
    expect(conversionError(LISTENER, { name: 7 }).rule).toBe("json.type");
    expect(conversionError(LISTENER, { filter_chains: {} }).message).toContain("expected an array");
    expect(conversionError(LISTENER, { address: { socket_address: { port_value: 1.5 } } }).rule).toBe("json.range");
    expect(conversionError(LISTENER, { address: { socket_address: { port_value: -1 } } }).rule).toBe("json.range");
    expect(conversionError(CLUSTER, { connect_timeout: "5" }).message).toContain('a duration like "1.5s"');
    expect(conversionError(CLUSTER, { lb_policy: "ROUND_ROBBIN" }).rule).toBe("json.enum");
    expect(conversionError(CLUSTER, { per_connection_buffer_limit_bytes: { value: 3 } }).path).toBe(
      "per_connection_buffer_limit_bytes",
    );
  });

  it("rejects two members of one oneof", () => {
    const err = conversionError(ROUTE, { match: { prefix: "/", path: "/a" } });
    expect(err.rule).toBe("json.oneof");
    expect(err.path).toBe("match.path");
  });

  it("rejects an Any without @type or with a type that is not loaded", () => {
    expect(conversionError(LISTENER, { filter_chains: [{ filters: [{ name: "f", typed_config: { stat_prefix: "x" } }] }] }).path).toBe(
      "filter_chains[0].filters[0].typed_config.@type",
    );
    expect(
      conversionError(LISTENER, {
        filter_chains: [{ filters: [{ name: "f", typed_config: { "@type": "type.googleapis.com/envoy.Nope" } }] }],
      }).rule,
    ).toBe("json.any_type");
  });

  it("accepts lowerCamelCase names as proto3 JSON allows, but not both spellings", () => {
    expect(roundTrip(CLUSTER, { name: "c", connectTimeout: "2s" })).toEqual({ name: "c", connect_timeout: "2s" });
    expect(conversionError(CLUSTER, { connect_timeout: "1s", connectTimeout: "2s" }).rule).toBe("json.duplicate");
  });

  it("treats null and undefined as unset, as JSON.stringify would", () => {
    expect(roundTrip(CLUSTER, { name: "c", connect_timeout: null, load_assignment: null, lb_policy: undefined })).toEqual({ name: "c" });
    expect(roundTrip(CLUSTER, { metadata: { filter_metadata: { a: { x: undefined, y: null } } } })).toEqual({
      metadata: { filter_metadata: { a: { y: null } } },
    });
    expect(conversionError(CLUSTER, { name: "c", dns_resolvers: [undefined] }).path).toBe("dns_resolvers[0]");
  });
});

describe("proto3 JSON round trip", () => {
  it("keeps durations, wrappers, enums, 64-bit integers, bytes, Struct and maps", () => {
    const cluster = {
      name: "c",
      type: "STRICT_DNS",
      connect_timeout: "0.25s",
      per_connection_buffer_limit_bytes: 32768,
      ring_hash_lb_config: { minimum_ring_size: "9007199254740993" },
      metadata: { filter_metadata: { z: { b: [1, "x", null, { c: false }] }, a: { k: "v" } } },
    };
    expect(roundTrip(CLUSTER, cluster)).toEqual({
      name: "c",
      type: "STRICT_DNS",
      connect_timeout: "0.250s",
      per_connection_buffer_limit_bytes: 32768,
      ring_hash_lb_config: { minimum_ring_size: "9007199254740993" },
      metadata: { filter_metadata: { a: { k: "v" }, z: { b: [1, "x", null, { c: false }] } } },
    });
    expect(roundTrip("envoy.type.v3.Int64Range", { start: -5, end: "10" })).toEqual({ start: "-5", end: "10" });
    expect(roundTrip("envoy.config.core.v3.HeaderValue", { key: "k", raw_value: "AAEC/w==" })).toEqual({ key: "k", raw_value: "AAEC/w==" });
    expect(roundTrip("google.protobuf.Duration", "-1.000000001s")).toBe("-1.000000001s");
    expect(roundTrip("google.protobuf.Timestamp", "2024-02-29T12:00:00.5+01:00")).toBe("2024-02-29T11:00:00.500Z");
    expect(roundTrip("google.protobuf.Timestamp", "0050-01-01T00:00:00Z")).toBe("0050-01-01T00:00:00Z");
    expect(() => fromJSON("google.protobuf.Timestamp", "2023-02-29T00:00:00Z")).toThrow(ProtoJsonError);
  });

  it("omits proto3 defaults but keeps set oneof members and message presence", () => {
    const json = roundTrip(LISTENER, {
      name: "",
      address: { socket_address: { address: "::", port_value: 0, ipv4_compat: false } },
      filter_chains: [],
      listener_filters_timeout: "0s",
    });
    expect(json).toEqual({ address: { socket_address: { address: "::", port_value: 0 } }, listener_filters_timeout: "0s" });
  });

  it("prints typed_config with @type first and its fields decoded by type URL", () => {
    const json = roundTrip(LISTENER, {
      name: "l",
      filter_chains: [{ filters: [{ name: "hcm", typed_config: { stat_prefix: "s", "@type": HCM, codec_type: "HTTP2" } }] }],
    });
    const typed = (json.filter_chains as Array<{ filters: Array<{ typed_config: object }> }>)[0].filters[0].typed_config;
    expect(Object.keys(typed)).toEqual(["@type", "codec_type", "stat_prefix"]);
    expect(typed).toEqual({ "@type": HCM, codec_type: "HTTP2", stat_prefix: "s" });
  });

  it("packs well-known types inside an Any under value", () => {
    const any = { "@type": "type.googleapis.com/google.protobuf.Duration", value: "3s" };
    expect(roundTrip("google.protobuf.Any", any)).toEqual(any);
    expect(conversionError("google.protobuf.Any", { ...any, seconds: 3 }).rule).toBe("json.unknown_field");
  });

  it("encodes map entries in sorted order whatever the input order", () => {
    const type = messageType(CLUSTER);
    const a = type.encode(fromJSON(CLUSTER, { metadata: { filter_metadata: { b: { x: 1 }, a: { y: 2 } } } })).finish();
    const b = type.encode(fromJSON(CLUSTER, { metadata: { filter_metadata: { a: { y: 2 }, b: { x: 1 } } } })).finish();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
