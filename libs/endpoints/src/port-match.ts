// Which port of an EndpointSlice carries a Service port. The endpoints controller names
// slice ports after the Service port (an unnamed single port is ""), and the number is
// the resolved target port of that slice's pods (a named targetPort can resolve to
// different numbers, which is why Kubernetes splits slices by port set).
import type { ServicePortRef } from "@gatehouse/ir";
import type { EndpointSlicePort } from "./endpoint-slice";

/**
 * The port number endpoints of this slice serve `ref` on, or undefined when the slice
 * has no such port. By name first; a slice written by another controller may carry
 * unnamed ports, which then match on the Service's numeric targetPort.
 */
export function matchSlicePort(ports: readonly EndpointSlicePort[] | null | undefined, ref: ServicePortRef): number | undefined {
  if (!ports || ports.length === 0) return undefined;
  const byName = ports.find((p) => (p.name ?? "") === ref.portName && validPort(p.port));
  if (byName) return byName.port as number;
  if (ref.targetPort !== undefined) {
    const byNumber = ports.find((p) => !p.name && p.port === ref.targetPort);
    if (byNumber) return byNumber.port as number;
  }
  return undefined;
}

function validPort(port: number | null | undefined): boolean {
  return typeof port === "number" && Number.isInteger(port) && port > 0 && port < 65536;
}
