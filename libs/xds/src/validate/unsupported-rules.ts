// Rules found in the protos that the validator does not understand. The bundled
// validate.proto is older than Envoy's protos, and protobufjs parses option text without
// checking it against validate.proto, so a new rule would otherwise vanish silently.
// Every such rule is recorded with the fields that carry it and logged once; a test fails
// when any appears in the protos Gatehouse loads.
import pino from "pino";

export interface UnsupportedRule {
  rule: string;
  fields: string[];
  detail?: string;
}

const seen = new Map<string, UnsupportedRule>();
let log: pino.Logger | undefined;

/** Lets the service pass its own component logger. */
export function setValidationLogger(logger: pino.Logger): void {
  log = logger;
}

function logger(): pino.Logger {
  // stderr: stdout may carry command output (gatehouse translate --output xds).
  log ??= pino({ level: process.env.LOG_LEVEL ?? "info" }, pino.destination(2)).child({ component: "xds-validate" });
  return log;
}

export function recordUnsupportedRule(rule: string, field: string, detail?: string): void {
  let entry = seen.get(rule);
  if (!entry) {
    entry = { rule, fields: [], detail };
    seen.set(rule, entry);
    logger().warn({ rule, field, detail }, "PGV rule not supported by the validator: it is not enforced");
  }
  if (!entry.fields.includes(field)) entry.fields.push(field);
}

/** Every unsupported rule met so far (plans are built lazily; see auditValidationRules for all of them). */
export function unsupportedRules(): UnsupportedRule[] {
  return [...seen.values()].map((e) => ({ ...e, fields: [...e.fields] })).sort((a, b) => a.rule.localeCompare(b.rule));
}
