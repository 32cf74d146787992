// Ingresses (with their IngressClasses and Services) to Gateway API objects and a report per
// Ingress. Pure: the same input gives the same output, byte for byte, whatever its order (an
// Ingress given twice: the later one is used). One run of the incremental engine, so the
// service's live conversion and this one cannot drift apart.
import type { KubeObject } from "@gatehouse/gatewayapi";
import { IngressConversion } from "./conversion-engine";
import type { ConvertOptions } from "./options";
import type { IngressReport } from "./report";

/** Objects as read from files or the bus: their shape is checked, not assumed. */
export interface ConversionInput {
  ingresses: KubeObject[];
  ingressClasses?: KubeObject[];
  services?: KubeObject[];
}

export interface ConversionResult {
  /** GatewayClass, Gateways, ReferenceGrants, then routes, each kind sorted by namespace/name. */
  objects: KubeObject[];
  /** One per Ingress, sorted by namespace/name. */
  reports: IngressReport[];
}

export function convertIngresses(input: ConversionInput, options: ConvertOptions = {}): ConversionResult {
  const engine = new IngressConversion(options);
  // Kinds are as the caller grouped them: an object in `ingresses` is read as an Ingress.
  for (const o of input.ingressClasses ?? []) engine.set({ ...o, kind: "IngressClass" });
  for (const o of input.services ?? []) engine.set({ ...o, kind: "Service" });
  for (const o of input.ingresses) engine.set({ ...o, kind: "Ingress" });
  engine.update();
  return engine.result();
}
