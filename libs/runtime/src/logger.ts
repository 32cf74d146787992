// Structured logging with pino: one root logger per service, one child per component
// ({ component: "xds-cache" }), and secrets redacted wherever they appear in a logged
// object. The bare field `key` is not redacted on purpose: across Gatehouse it is a bus
// key (kind.namespace.name), which logs must show.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/** Field names that hold secrets, redacted at any of the first four levels of a logged object. */
export const SECRET_FIELDS: readonly string[] = [
  "password",
  "pass",
  "passwd",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "bearerToken",
  "authorization",
  "Authorization",
  "secret",
  "clientSecret",
  "apiKey",
  "api_key",
  "privateKey",
  "private_key",
  "privateKeyPem",
  "keyPem",
  "key_pem",
  "tlsKey",
  "tls.key",
  "seed",
  "nkey",
  "creds",
  "credentials",
  "jwt",
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const field of SECRET_FIELDS) {
    for (let depth = 0; depth <= 3; depth++) paths.push(`${"*.".repeat(depth)}${field}`);
  }
  return paths;
}

export interface CreateLoggerOptions {
  /** Default: LOG_LEVEL or "info". */
  level?: string;
  /** Where to write (default stdout); tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Extra fields on every line. */
  base?: Record<string, unknown>;
}

export function createLogger(service: string, opts: CreateLoggerOptions = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? process.env.LOG_LEVEL ?? "info",
    base: { service, pid: process.pid, ...opts.base },
    redact: { paths: redactPaths(), censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** The child logger of one component. */
export function componentLogger(logger: Logger, component: string, fields: Record<string, unknown> = {}): Logger {
  return logger.child({ component, ...fields });
}
