import { describe, expect, it } from "vitest";
import { messageType, TYPE_URLS } from "@gatehouse/xds";
import { encodeDeltaResponse, encodeSotwResponse, scratchBuffer } from "./response-encoding";

const PKG = "envoy.service.discovery.v3";
const decode = (name: string, bytes: Uint8Array) => {
  const type = messageType(`${PKG}.${name}`);
  return type.toObject(type.decode(bytes), { defaults: false, bytes: Array });
};
const protobufjs = (name: string, value: object) => messageType(`${PKG}.${name}`).encode(value as never).finish();

function cla(name: string, n: number): Uint8Array {
  const type = messageType(TYPE_URLS.endpoint);
  const lb_endpoints = Array.from({ length: n }, (_, i) => ({ endpoint: { address: { socket_address: { address: `10.0.0.${i}`, port_value: 80 } } } }));
  return type.encode(type.fromObject({ cluster_name: name, endpoints: [{ lb_endpoints }] })).finish();
}

describe("response encoding", () => {
  const a = cla("a", 3);
  const b = cla("b", 200);

  it("encodes a Delta response that decodes exactly as protobufjs's own encoding", () => {
    const value = {
      system_version_info: "v1",
      type_url: TYPE_URLS.endpoint,
      nonce: "7",
      removed_resources: ["gone", "also-gone"],
      resources: [
        { name: "a", version: "va", resource: { type_url: TYPE_URLS.endpoint, value: a } },
        { name: "b", version: "vb", resource: { type_url: TYPE_URLS.endpoint, value: b } },
      ],
    };
    expect(decode("DeltaDiscoveryResponse", encodeDeltaResponse(value))).toEqual(decode("DeltaDiscoveryResponse", protobufjs("DeltaDiscoveryResponse", value)));
  });

  it("encodes a SotW response that decodes exactly as protobufjs's own encoding", () => {
    const value = { version_info: "v2", type_url: TYPE_URLS.endpoint, nonce: "8", resources: [{ type_url: TYPE_URLS.endpoint, value: b }] };
    expect(decode("DiscoveryResponse", encodeSotwResponse(value))).toEqual(decode("DiscoveryResponse", protobufjs("DiscoveryResponse", value)));
  });

  it("assembles responses in a reused scratch buffer, growing it for larger ones and never past its limit", () => {
    const scratch = scratchBuffer(1024 * 1024);
    const small = { version_info: "1", type_url: TYPE_URLS.endpoint, nonce: "1", resources: [{ type_url: TYPE_URLS.endpoint, value: a }] };
    const large = { ...small, nonce: "2", resources: [{ type_url: TYPE_URLS.endpoint, value: b }] };
    const first = Buffer.from(encodeSotwResponse(large, scratch)); // copied, as grpc-js does
    const second = encodeSotwResponse(small, scratch);
    expect(second.buffer).toBe(encodeSotwResponse(large, scratch).buffer); // the same memory
    expect(decode("DiscoveryResponse", first)).toEqual(decode("DiscoveryResponse", protobufjs("DiscoveryResponse", large)));
    const huge = { ...small, resources: [{ type_url: TYPE_URLS.endpoint, value: new Uint8Array(2 * 1024 * 1024) }] };
    const own = encodeSotwResponse(huge, scratch);
    expect(own.buffer).not.toBe(second.buffer);
    expect(decode("DiscoveryResponse", own)).toEqual(decode("DiscoveryResponse", protobufjs("DiscoveryResponse", huge)));
  });

  it("handles responses without resources and Delta entries without a body", () => {
    const empty = { system_version_info: "", type_url: TYPE_URLS.endpoint, nonce: "1", removed_resources: ["x"], resources: [] };
    expect(decode("DeltaDiscoveryResponse", encodeDeltaResponse(empty))).toEqual({ type_url: TYPE_URLS.endpoint, nonce: "1", removed_resources: ["x"] });
    const bare = { ...empty, removed_resources: [], resources: [{ name: "n", version: "v" }] };
    expect(decode("DeltaDiscoveryResponse", encodeDeltaResponse(bare))).toEqual(decode("DeltaDiscoveryResponse", protobufjs("DeltaDiscoveryResponse", bare)));
  });

  it("reuses a resource's entry across streams only while its name and version are the same", () => {
    const response = (nonce: string, version = "vb") => ({
      system_version_info: "s",
      type_url: TYPE_URLS.endpoint,
      nonce,
      removed_resources: [],
      resources: [{ name: "b", version, resource: { type_url: TYPE_URLS.endpoint, value: b } }],
    });
    encodeDeltaResponse(response("1"));
    const second = encodeDeltaResponse(response("2"));
    expect(decode("DeltaDiscoveryResponse", second)).toEqual(decode("DeltaDiscoveryResponse", protobufjs("DeltaDiscoveryResponse", response("2"))));
    const renamed = encodeDeltaResponse(response("3", "vb2"));
    expect(decode("DeltaDiscoveryResponse", renamed)).toMatchObject({ nonce: "3", resources: [{ name: "b", version: "vb2" }] });
  });
});
