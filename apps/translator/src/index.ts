// Translates resources to per-Gateway IR and status
export { TranslatorService } from "./wiring/translator-service";
export type { TranslatorServiceOptions } from "./wiring/translator-service";
