// Connecting a service to the bus: reconnect forever (a service outlives NATS restarts),
// a client name per service (visible in the server's connz), optional TLS and
// credentials for the deploy manifests.
import { readFileSync } from "node:fs";
import type { ConnectionOptions, NatsConnection } from "nats";
import { connect, credsAuthenticator } from "nats";
import { Backoff } from "@gatehouse/runtime";
import { busLogger, type BusLogger } from "./logger";
import { CONNECT_BACKOFF } from "./retry";

export interface BusConnectOptions {
  /** One or more nats:// URLs (comma-separated string or list). */
  servers: string | string[];
  /** Client name, usually the service name. */
  name: string;
  /** NATS credentials file (JWT + nkey seed), one per service in the deploy manifests. */
  credsFile?: string;
  user?: string;
  pass?: string;
  token?: string;
  tls?: {
    caFile?: string;
    certFile?: string;
    keyFile?: string;
  };
  /**
   * Give up on the first connection after this long (default 30 s, retrying meanwhile;
   * 0: wait forever). Once connected, reconnects never give up.
   */
  connectTimeoutMs?: number;
  logger?: BusLogger;
}

export async function connectBus(opts: BusConnectOptions): Promise<NatsConnection> {
  const log = busLogger(opts.logger, "bus-connection");
  const servers = typeof opts.servers === "string" ? opts.servers.split(",").map((s) => s.trim()).filter(Boolean) : opts.servers;
  const options: ConnectionOptions = {
    servers,
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    // One connection attempt (TCP + TLS + CONNECT); the whole wait is bounded below.
    timeout: 5_000,
    pingInterval: 10_000,
    maxPingOut: 3,
    // nats.js otherwise builds an Error (a stack trace) for every request, JetStream
    // publishes included: about a tenth of the watcher's CPU under endpoint churn.
    noAsyncTraces: true,
  };
  if (opts.credsFile) options.authenticator = credsAuthenticator(readFileSync(opts.credsFile));
  if (opts.user) options.user = opts.user;
  if (opts.pass) options.pass = opts.pass;
  if (opts.token) options.token = opts.token;
  if (opts.tls) options.tls = { caFile: opts.tls.caFile, certFile: opts.tls.certFile, keyFile: opts.tls.keyFile };
  const nc = await firstConnect(options, opts.connectTimeoutMs ?? 30_000, log);
  log.info({ server: nc.getServer(), name: opts.name }, "connected to NATS");
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect") log.warn({ server: String(s.data) }, "disconnected from NATS");
      else if (s.type === "reconnect") log.info({ server: String(s.data) }, "reconnected to NATS");
      else if (s.type === "error") log.error({ error: String(s.data) }, "NATS connection error");
    }
  })();
  return nc;
}

/** A readiness check for the runtime: the connection is up (not closed, not reconnecting). */
export function natsConnected(nc: NatsConnection): () => boolean {
  let connected = !nc.isClosed();
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect") connected = false;
      else if (s.type === "reconnect") connected = true;
    }
    connected = false;
  })();
  return () => connected && !nc.isClosed();
}

/**
 * Tries to connect until the deadline: each attempt fails fast (nats.js would otherwise
 * retry forever in the background, past any deadline of ours).
 */
async function firstConnect(options: ConnectionOptions, ms: number, log: BusLogger): Promise<NatsConnection> {
  const deadline = ms > 0 ? Date.now() + ms : Infinity;
  const backoff = new Backoff(CONNECT_BACKOFF);
  for (let attempt = 1; ; attempt++) {
    try {
      const remaining = deadline - Date.now();
      return await connect({ ...options, timeout: Math.max(500, Math.min(options.timeout ?? 5000, remaining)) });
    } catch (err) {
      if (Date.now() + backoff.peek() >= deadline) {
        throw new Error(`could not connect to NATS at ${String(options.servers)} within ${ms} ms: ${(err as Error).message}`);
      }
      if (attempt === 1 || attempt % 10 === 0) log.warn({ attempt, error: (err as Error).message }, "NATS not reachable yet; retrying");
      await backoff.wait();
    }
  }
}
