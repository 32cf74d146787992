// The bus logs through whatever pino logger the service passes in; without one it logs
// to a pino logger of its own, so an undecodable value is never dropped silently.
import { pino } from "pino";

/** The subset of pino's Logger the bus uses. */
export interface BusLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): BusLogger;
}

let fallback: BusLogger | undefined;

export function busLogger(logger: BusLogger | undefined, component: string): BusLogger {
  const base = logger ?? (fallback ??= pino({ name: "gatehouse-bus", level: process.env.LOG_LEVEL ?? "info" }));
  return base.child({ component });
}
