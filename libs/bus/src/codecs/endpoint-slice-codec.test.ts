import { describe, expect, it } from "vitest";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { EndpointSlice_AddressType, EndpointSliceSchema } from "../gen/gatehouse/bus/v1/endpoints_pb";
import { DecodeError } from "./codec";
import { endpointSliceCodec, endpointSliceMessage, type EndpointSliceInput } from "./endpoint-slice-codec";

// The decoder reads the wire format by hand; the generated schema's decoding is the reference.
function reference(bytes: Uint8Array): Record<string, unknown> {
  const m = fromBinary(EndpointSliceSchema, bytes);
  return { ...m, addressType: EndpointSlice_AddressType[m.addressType] };
}

function randomSlice(seed: number): EndpointSliceInput {
  let s = seed;
  const rnd = (n: number) => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % n);
  const pick = <T>(...v: T[]) => v[rnd(v.length)];
  return {
    metadata: { namespace: pick("default", "ns-ü"), name: `slice-${seed}`, labels: pick<Record<string, string> | null>(null, {}, { "kubernetes.io/service-name": "web" }), resourceVersion: pick(undefined, "", "42") },
    addressType: pick("IPv4", "IPv6", "FQDN"),
    endpoints: Array.from({ length: rnd(5) }, (_, i) => ({
      addresses: Array.from({ length: rnd(3) }, (_, j) => `10.${seed % 250}.${i}.${j}`),
      conditions: pick(null, {}, { ready: pick(null, true, false), serving: pick(undefined, true, false), terminating: pick(null, true, false) }),
      hostname: pick(null, "", "h"),
      nodeName: pick(undefined, "node-1"),
      zone: pick(null, "zone-a", ""),
      targetRef: pick(null, { kind: "Pod", name: `p-${i}` }, { name: "only-name" }, { kind: "Pod" }),
    })),
    ports: pick(null, [], [{ name: "http", port: 8080, protocol: "TCP", appProtocol: "h2c" }, { port: null }, { name: "", port: 0 }]),
  };
}

describe("endpointSliceCodec encode", () => {
  it("writes the bytes of the generated encoder for the same message, for random slices", () => {
    const codec = endpointSliceCodec();
    for (let seed = 1; seed <= 300; seed++) {
      const slice = randomSlice(seed);
      const generated = toBinary(EndpointSliceSchema, create(EndpointSliceSchema, endpointSliceMessage(slice)));
      expect(Buffer.from(codec.encode(slice)).toString("hex"), `seed ${seed}`).toBe(Buffer.from(generated).toString("hex"));
    }
  });

  it("writes set false and 0 of optional fields, as the generated encoder does", () => {
    const slice: EndpointSliceInput = { metadata: { name: "s" }, addressType: "IPv6", endpoints: [{ addresses: ["", "fd00::1"], conditions: { ready: false } }], ports: [{ port: 0 }, { port: -1 }] };
    const generated = toBinary(EndpointSliceSchema, create(EndpointSliceSchema, endpointSliceMessage(slice)));
    expect(Buffer.from(endpointSliceCodec().encode(slice))).toEqual(Buffer.from(generated));
    expect(fromBinary(EndpointSliceSchema, generated).endpoints[0].ready).toBe(false);
  });
});

describe("endpointSliceCodec decode", () => {
  it("reads every field the schema reads, for random slices", () => {
    const codec = endpointSliceCodec();
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = codec.encode(randomSlice(seed));
      const got = codec.decode(bytes);
      const ref = reference(bytes) as {
        namespace?: string;
        name?: string;
        serviceName?: string;
        addressType: string;
        resourceVersion?: string;
        endpoints?: Array<Record<string, unknown>>;
        ports?: Array<Record<string, unknown>>;
      };
      expect(got.metadata).toEqual({
        namespace: ref.namespace ?? "",
        name: ref.name ?? "",
        labels: ref.serviceName ? { "kubernetes.io/service-name": ref.serviceName } : {},
        ...(ref.resourceVersion ? { resourceVersion: ref.resourceVersion } : {}),
      });
      expect(got.addressType).toBe({ IPV4: "IPv4", IPV6: "IPv6", FQDN: "FQDN" }[ref.addressType]);
      expect(got.endpoints.length).toBe(ref.endpoints?.length ?? 0);
      got.endpoints.forEach((e, i) => {
        const r = ref.endpoints![i];
        const conditions: Record<string, boolean> = {};
        for (const c of ["ready", "serving", "terminating"]) if (typeof r[c] === "boolean") conditions[c] = r[c] as boolean;
        const targetRef: Record<string, string> = {};
        if (r.targetKind) targetRef.kind = r.targetKind as string;
        if (r.targetName) targetRef.name = r.targetName as string;
        expect(e).toStrictEqual({
          addresses: (r.addresses as string[] | undefined) ?? [],
          conditions,
          ...(r.hostname ? { hostname: r.hostname } : {}),
          ...(r.nodeName ? { nodeName: r.nodeName } : {}),
          ...(r.zone ? { zone: r.zone } : {}),
          ...(Object.keys(targetRef).length ? { targetRef } : {}),
        });
      });
      expect(got.ports).toStrictEqual(
        (ref.ports ?? []).map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          ...(typeof p.port === "number" ? { port: p.port } : {}),
          ...(p.protocol ? { protocol: p.protocol } : {}),
          ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
        })),
      );
    }
  });

  it("reuses the objects of endpoints whose bytes are unchanged since the slice's previous value", () => {
    const codec = endpointSliceCodec();
    const slice = (terminating: boolean, extra: boolean): EndpointSliceInput => ({
      metadata: { name: "web-abc", namespace: "n" },
      addressType: "IPv4",
      endpoints: [
        { addresses: ["10.0.0.1"], conditions: { serving: true }, zone: "a" },
        { addresses: ["10.0.0.2"], conditions: { serving: true, terminating }, zone: "a" },
        ...(extra ? [{ addresses: ["10.0.0.3"], conditions: { serving: true }, zone: "a" }] : []),
      ],
    });
    const first = codec.decode(codec.encode(slice(false, false)));
    const second = codec.decode(codec.encode(slice(true, true)));
    expect(second.endpoints[0]).toBe(first.endpoints[0]);
    expect(second.endpoints[1]).not.toBe(first.endpoints[1]);
    expect(second.endpoints[1].conditions).toEqual({ serving: true, terminating: true });
    expect(second.endpoints[2].addresses).toEqual(["10.0.0.3"]);
    // Another slice with the same endpoint bytes gets its own objects.
    const other = codec.decode(codec.encode({ ...slice(false, false), metadata: { name: "web-def", namespace: "n" } }));
    expect(other.endpoints[0]).not.toBe(first.endpoints[0]);
    expect(other.endpoints[0]).toEqual(first.endpoints[0]);
  });

  it("reads what the schema reads through a history of one slice's values", () => {
    const codec = endpointSliceCodec();
    for (let seed = 1; seed <= 200; seed++) {
      const value = randomSlice(seed % 7); // few distinct shapes, so most endpoints repeat
      value.metadata = { ...value.metadata, name: "one-slice" };
      if (value.endpoints?.length && seed % 3 === 0) value.endpoints[seed % value.endpoints.length].zone = `zone-${seed}`;
      const bytes = codec.encode(value);
      const ref = reference(bytes) as { endpoints?: Array<{ addresses?: string[]; zone?: string }> };
      const got = codec.decode(bytes);
      expect(got.endpoints.map((e) => [e.addresses, e.zone ?? ""])).toEqual((ref.endpoints ?? []).map((e) => [e.addresses ?? [], e.zone ?? ""]));
    }
  });

  it("skips fields it does not know (a newer writer's additions)", () => {
    const codec = endpointSliceCodec();
    const bytes = codec.encode({ metadata: { name: "s", namespace: "n" }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.1"], conditions: { serving: true } }] });
    // field 15 (a string) and field 14 (a varint) after the known ones: both skipped
    const extra = Buffer.from([(15 << 3) | 2, 0x02, 0x61, 0x62, (14 << 3) | 0, 0x05]);
    const decoded = codec.decode(Buffer.concat([Buffer.from(bytes), extra]));
    expect(decoded.endpoints).toEqual([{ addresses: ["10.0.0.1"], conditions: { serving: true } }]);
  });

  it("rejects truncated bytes, a missing or newer schema_version, and an unknown address type", () => {
    const codec = endpointSliceCodec();
    const bytes = codec.encode({ metadata: { name: "s", namespace: "n" }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.1"] }] });
    expect(() => codec.decode(bytes.subarray(0, bytes.length - 3))).toThrow(DecodeError);
    const encode = (init: { schemaVersion?: number; name: string; addressType?: EndpointSlice_AddressType }) => toBinary(EndpointSliceSchema, create(EndpointSliceSchema, init));
    expect(() => codec.decode(encode({ name: "s", addressType: EndpointSlice_AddressType.IPV4 }))).toThrow(/without schema_version/);
    expect(() => codec.decode(encode({ schemaVersion: 2, name: "s", addressType: EndpointSlice_AddressType.IPV4 }))).toThrow(/schema_version 2/);
    expect(() => codec.decode(encode({ schemaVersion: 1, name: "s" }))).toThrow(/address type ADDRESS_TYPE_UNSPECIFIED/);
    expect(() => codec.decode(Buffer.from([0x08, 0x01, 0x28, 0x07]))).toThrow(/address type 7/);
  });
});
