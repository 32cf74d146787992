import type { GatewayIR } from "@gatehouse/ir";
import { describe, expect, it } from "vitest";
import { fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { EndpointSliceSchema } from "../gen/gatehouse/bus/v1/endpoints_pb";
import { GatewayIRSchema } from "../gen/gatehouse/bus/v1/ir_pb";
import { ResourceSchema } from "../gen/gatehouse/bus/v1/resource_pb";
import { StatusSchema } from "../gen/gatehouse/bus/v1/status_pb";
import { certificateCodec, certificateSigningRequestCodec, certificateSigningResponseCodec } from "./cert-codec";
import { DecodeError, EncodeError } from "./codec";
import { endpointSliceCodec } from "./endpoint-slice-codec";
import { irCodec, irRecord } from "./ir-codec";
import { resourceCodec } from "./resource-codec";
import { statusCodec } from "./status-codec";
import { xdsEventCodec } from "./xds-event-codec";
import { sampleIR } from "../testdata/sample-ir";

/** Re-encodes a message with another schema_version, as a newer producer would. */
function withSchemaVersion(schema: DescMessage, bytes: Uint8Array, version: number): Uint8Array {
  const m = fromBinary(schema, bytes) as unknown as { schemaVersion: number };
  m.schemaVersion = version;
  return toBinary(schema, m as never);
}

describe("bus codecs", () => {
  it("round-trips a Kubernetes object with its envelope", () => {
    const codec = resourceCodec();
    const object = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "web", namespace: "default", uid: "u1", resourceVersion: "42", generation: 3, labels: { a: "b" } },
      spec: { hostnames: ["example.com"], rules: [{ backendRefs: [{ name: "svc", port: 80 }] }] },
    };
    const bytes = codec.encode({ object, source: "deploy/examples/web.yaml" });
    expect(codec.decode(bytes)).toEqual({ object, source: "deploy/examples/web.yaml" });
    const envelope = fromBinary(ResourceSchema, bytes);
    expect(envelope).toMatchObject({ schemaVersion: 1, kind: "HTTPRoute", namespace: "default", name: "web", generation: 3n, resourceVersion: "42" });
    expect(() => codec.encode({ object: { kind: "X", metadata: { name: "" } } as never, source: "" })).toThrow(EncodeError);
  });

  it("round-trips an EndpointSlice in the discovery.k8s.io/v1 shape, keeping absent conditions absent", () => {
    const codec = endpointSliceCodec();
    const slice = {
      metadata: { namespace: "default", name: "web-abc12", labels: { "kubernetes.io/service-name": "web" }, resourceVersion: "7" },
      addressType: "IPv6" as const,
      endpoints: [
        { addresses: ["fd00::1"], conditions: { ready: true, serving: true, terminating: false }, zone: "z1", nodeName: "n1", hostname: "pod-1", targetRef: { kind: "Pod", name: "web-1" } },
        { addresses: ["fd00::2"], conditions: { serving: true, terminating: true } },
        { addresses: ["fd00::3"], conditions: {} },
      ],
      ports: [{ name: "http", port: 8080, protocol: "TCP", appProtocol: "http" }, {}],
    };
    const decoded = codec.decode(codec.encode(slice));
    expect(decoded).toEqual(slice);
    expect("ready" in decoded.endpoints[2].conditions).toBe(false);
    // nulls from the Kubernetes API read as absent
    const fromApi = codec.decode(
      codec.encode({ metadata: { name: "s", namespace: "n", labels: null }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.1"], conditions: { ready: null } }], ports: [{ port: null }] }),
    );
    expect(fromApi).toEqual({ metadata: { namespace: "n", name: "s", labels: {} }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.1"], conditions: {} }], ports: [{}] });
    expect(() => codec.encode({ metadata: { name: "s" }, addressType: "IPv5" })).toThrow(EncodeError);
  });

  it("wraps the IR as canonical JSON with a content hash that decode checks", () => {
    const codec = irCodec();
    const ir = sampleIR();
    const record = irRecord(ir);
    const bytes = codec.encode(ir);
    expect(codec.decode(bytes)).toEqual(record);
    expect(record.gatewayKey).toBe("infra/edge");
    expect(record.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // same IR with keys in another order: same bytes
    const reordered = Object.fromEntries(Object.entries(ir).reverse()) as unknown as GatewayIR;
    expect(Buffer.from(codec.encode(reordered)).equals(Buffer.from(bytes))).toBe(true);

    const m = fromBinary(GatewayIRSchema, bytes);
    m.irJson = Buffer.from(JSON.stringify({ ...ir, gatewayClassName: "tampered" }));
    expect(() => codec.decode(toBinary(GatewayIRSchema, m))).toThrow(/content hash mismatch/);
  });

  it("round-trips status, xDS events and certificates", () => {
    const status = { ref: { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "infra", name: "edge" }, observedGeneration: 4, status: { conditions: [{ type: "Programmed", status: "True" }] } };
    expect(statusCodec().decode(statusCodec().encode(status))).toEqual(status);
    const event = { nodeId: "envoy-1", gatewayKey: "infra/edge", typeUrl: "type.googleapis.com/envoy.config.cluster.v3.Cluster", version: "abc", nonce: "7", kind: "NACK" as const, errorDetail: "bad cluster", timeUnixMs: 1_763_770_000_123, serverId: "xds-0" };
    expect(xdsEventCodec().decode(xdsEventCodec().encode(event))).toEqual(event);
    const cert = { name: "xds-server", certificateChainPem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", trustBundlePem: "", notBeforeUnixMs: 1, notAfterUnixMs: 2, serialHex: "0a", fingerprintSha256: "ff" };
    expect(certificateCodec().decode(certificateCodec().encode(cert))).toEqual(cert);
    expect(() => certificateCodec().encode({ ...cert, certificateChainPem: "-----BEGIN PRIVATE KEY-----\n" })).toThrow(/private keys/);
    const request = { csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n", requester: "xds-server/pod-1" };
    expect(certificateSigningRequestCodec().decode(certificateSigningRequestCodec().encode(request))).toEqual(request);
    expect(() => certificateSigningRequestCodec().encode({ ...request, csrPem: "-----BEGIN EC PRIVATE KEY-----\n" })).toThrow(/private keys/);
    const responses = certificateSigningResponseCodec();
    expect(responses.decode(responses.encode({ ok: true, certificate: cert }))).toEqual({ ok: true, certificate: cert });
    expect(responses.decode(responses.encode({ ok: false, reason: "NameNotAllowed", message: "no" }))).toEqual({ ok: false, reason: "NameNotAllowed", message: "no" });
    expect(() => responses.encode({ ok: true, certificate: { ...cert, trustBundlePem: "-----BEGIN RSA PRIVATE KEY-----\n" } })).toThrow(/private keys/);
  });

  it.each([
    ["Resource", ResourceSchema, () => resourceCodec(), () => resourceCodec().encode({ object: { apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace: "b" } }, source: "" })],
    ["EndpointSlice", EndpointSliceSchema, () => endpointSliceCodec(), () => endpointSliceCodec().encode({ metadata: { name: "a" }, addressType: "IPv4" })],
    ["GatewayIR", GatewayIRSchema, () => irCodec(), () => irCodec().encode(sampleIR())],
    ["Status", StatusSchema, () => statusCodec(), () => statusCodec().encode({ ref: { group: "", kind: "Service", namespace: "a", name: "b" }, observedGeneration: 1, status: {} })],
  ] as const)("%s: refuses a newer schema_version, a missing one, and garbage with a DecodeError", (_name, schema, codec, sample) => {
    const bytes = sample();
    expect(() => codec().decode(withSchemaVersion(schema, bytes, 2))).toThrow(/schema_version 2 is not supported/);
    expect(() => codec().decode(withSchemaVersion(schema, bytes, 0))).toThrow(/without schema_version/);
    expect(() => codec().decode(Buffer.from("this is not protobuf at all"))).toThrow(DecodeError);
    expect(() => codec().decode(Uint8Array.from([0x0a, 0xff]))).toThrow(DecodeError);
  });
});
