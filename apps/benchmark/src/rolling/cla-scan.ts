// Reads the endpoints of an encoded ClusterLoadAssignment straight from the wire format:
// address and health status of every LbEndpoint. The benchmark's clients see hundreds of
// assignments of up to 10,000 endpoints each; a full protobufjs decode of each would cost
// more than the system under test, so this is a tight loop over the bytes. Independent of
// Gatehouse's encoder on purpose.

/** envoy.config.core.v3.HealthStatus values. */
export const HEALTHY = 1;
export const DRAINING = 3;

/** Endpoint address → health status. */
export type EndpointView = Map<string, number>;

export function scanClusterLoadAssignment(bytes: Uint8Array): EndpointView {
  const view: EndpointView = new Map();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // ClusterLoadAssignment: endpoints (2) = LocalityLbEndpoints
  forEachField(buf, 0, buf.length, (field, wire, start, end) => {
    if (field !== 2 || wire !== 2) return;
    // LocalityLbEndpoints: lb_endpoints (2) = LbEndpoint
    forEachField(buf, start, end, (f2, w2, s2, e2) => {
      if (f2 !== 2 || w2 !== 2) return;
      let address = "";
      let health = 0;
      // LbEndpoint: endpoint (1) = Endpoint; health_status (2)
      forEachField(buf, s2, e2, (f3, w3, s3, e3, value) => {
        if (f3 === 2 && w3 === 0) health = value;
        else if (f3 === 1 && w3 === 2) address = socketAddress(buf, s3, e3);
      });
      view.set(address, health);
    });
  });
  return view;
}

/** Endpoint.address (1) → Address.socket_address (1) → SocketAddress.address (2). */
function socketAddress(buf: Buffer, start: number, end: number): string {
  let out = "";
  forEachField(buf, start, end, (f, w, s, e) => {
    if (f !== 1 || w !== 2) return;
    forEachField(buf, s, e, (f2, w2, s2, e2) => {
      if (f2 !== 1 || w2 !== 2) return;
      forEachField(buf, s2, e2, (f3, w3, s3, e3) => {
        if (f3 === 2 && w3 === 2) out = buf.toString("latin1", s3, e3);
      });
    });
  });
  return out;
}

type FieldFn = (field: number, wire: number, start: number, end: number, value: number) => void;

/** Calls fn for each field in [start, end): length-delimited fields get their bounds, varints their value. */
function forEachField(buf: Buffer, start: number, end: number, fn: FieldFn): void {
  let i = start;
  while (i < end) {
    let tag = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      tag += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
    }
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0 || wire === 2) {
      let v = 0;
      shift = 0;
      for (;;) {
        const b = buf[i++];
        v += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
        shift += 7;
      }
      if (wire === 0) fn(field, wire, i, i, v);
      else {
        fn(field, wire, i, i + v, 0);
        i += v;
      }
    } else if (wire === 5) i += 4;
    else if (wire === 1) i += 8;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}
