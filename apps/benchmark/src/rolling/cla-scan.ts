// Reads the endpoints of an encoded ClusterLoadAssignment straight from the wire format:
// address and health status of every LbEndpoint. The benchmark's clients see hundreds of
// assignments of up to 10,000 endpoints each; a full protobufjs decode of each would cost
// more than the system under test. Independent of Gatehouse's encoder on purpose.

/** envoy.config.core.v3.HealthStatus values. */
export const HEALTHY = 1;
export const DRAINING = 3;

/** Endpoint address → health status. */
export type EndpointView = Map<string, number>;

export function scanClusterLoadAssignment(bytes: Uint8Array): EndpointView {
  const view: EndpointView = new Map();
  // ClusterLoadAssignment.endpoints (2) → LocalityLbEndpoints.lb_endpoints (2)
  for (const [field, start, end] of fields(bytes, 0, bytes.length)) {
    if (field !== 2) continue;
    for (const [f2, s2, e2] of fields(bytes, start, end)) {
      if (f2 !== 2) continue;
      let address = "";
      let health = 0;
      // LbEndpoint: endpoint (1) → Endpoint.address (1) → Address.socket_address (1) → address (2); health_status (2)
      for (const [f3, s3, e3, value] of fields(bytes, s2, e2)) {
        if (f3 === 2) health = value;
        else if (f3 === 1) address = nested(bytes, s3, e3, [1, 1, 2]) ?? "";
      }
      view.set(address, health);
    }
  }
  return view;
}

function nested(bytes: Uint8Array, start: number, end: number, path: number[]): string | undefined {
  for (const [f, s, e] of fields(bytes, start, end)) {
    if (f !== path[0]) continue;
    if (path.length === 1) return Buffer.from(bytes.buffer, bytes.byteOffset + s, e - s).toString("utf8");
    return nested(bytes, s, e, path.slice(1));
  }
  return undefined;
}

/** Yields [field number, start, end, varint value] for each field in [start, end). */
function* fields(bytes: Uint8Array, start: number, end: number): Generator<[number, number, number, number]> {
  let i = start;
  while (i < end) {
    const [tag, afterTag] = varint(bytes, i);
    i = afterTag;
    let next: number;
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) {
      const [value, after] = varint(bytes, i);
      i = after;
      yield [field, i, i, value];
    } else if (wire === 2) {
      let len: number;
      [len, next] = varint(bytes, i);
      i = next;
      yield [field, i, i + len, 0];
      i += len;
    } else if (wire === 5) {
      i += 4;
    } else if (wire === 1) {
      i += 8;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
}

function varint(bytes: Uint8Array, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++];
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [result, i];
    shift += 7;
  }
}
