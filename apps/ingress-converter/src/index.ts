// Converts Ingresses from `resources` into Gateway API objects in `derived`, live.
export { IngressConverterService } from "./wiring/converter-service";
export type { IngressConverterServiceOptions } from "./wiring/converter-service";
