// The gRPC transport of the ADS server: the listening socket (dual stack "::", falling back
// to 0.0.0.0 where IPv6 is off), TLS or mTLS, keepalive, a maximum connection age so proxies
// spread over replicas (grpc-js adds a random ±10% jitter per connection, so proxies that
// connected together do not all reconnect together), and message size limits. TLS is
// terminated in front of grpc-js (tls-front.ts), which makes refused handshakes visible.
import { Server, ServerCredentials, type ChannelOptions } from "@grpc/grpc-js";
import { listenDualStack } from "@gatehouse/runtime";
import type { AddressInfo } from "node:net";
import type { AdsServer } from "./ads-server";
import type { CertificateSource } from "./credentials";
import { adsServiceDefinition } from "./discovery-messages";
import { createTlsFront, type TlsRejection } from "./tls-front";

export interface TransportOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default "::" (dual stack) with a fallback to "0.0.0.0". */
  readonly host?: string;
  readonly tls?: { readonly source: CertificateSource; readonly requireClientCertificate: boolean };
  readonly keepaliveTimeMs?: number;
  readonly keepaliveTimeoutMs?: number;
  /** After this age a connection is told to go away (GOAWAY); ±10% jitter. */
  readonly maxConnectionAgeMs?: number;
  /** Time the streams of an aged connection get before it is closed. */
  readonly maxConnectionAgeGraceMs?: number;
  readonly maxReceiveMessageBytes?: number;
  readonly maxSendMessageBytes?: number;
  /** grpc-js channelz bookkeeping (per call and message); off unless asked for. */
  readonly channelz?: boolean;
}

export const TRANSPORT_DEFAULTS = {
  keepaliveTimeMs: 30_000,
  keepaliveTimeoutMs: 10_000,
  maxConnectionAgeMs: 30 * 60_000,
  maxConnectionAgeGraceMs: 5 * 60_000,
  // Requests are small; responses carry whole configurations.
  maxReceiveMessageBytes: 4 * 1024 * 1024,
  maxSendMessageBytes: 100 * 1024 * 1024,
} as const;

export interface RunningTransport {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** host:port to dial, bracketed for IPv6. */
  readonly address: string;
  /** With TLS: calls `listener` for every refused handshake (expired, unknown CA, ...); returns the unsubscribe. */
  onTlsRejection(listener: (rejection: TlsRejection) => void): () => void;
  /** Stops accepting, gives streams graceMs to end, then closes the rest. */
  shutdown(graceMs?: number): Promise<void>;
}

export function transportChannelOptions(options: TransportOptions): ChannelOptions {
  return {
    "grpc.keepalive_time_ms": options.keepaliveTimeMs ?? TRANSPORT_DEFAULTS.keepaliveTimeMs,
    "grpc.keepalive_timeout_ms": options.keepaliveTimeoutMs ?? TRANSPORT_DEFAULTS.keepaliveTimeoutMs,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.max_connection_age_ms": options.maxConnectionAgeMs ?? TRANSPORT_DEFAULTS.maxConnectionAgeMs,
    "grpc.max_connection_age_grace_ms": options.maxConnectionAgeGraceMs ?? TRANSPORT_DEFAULTS.maxConnectionAgeGraceMs,
    "grpc.max_receive_message_length": options.maxReceiveMessageBytes ?? TRANSPORT_DEFAULTS.maxReceiveMessageBytes,
    "grpc.max_send_message_length": options.maxSendMessageBytes ?? TRANSPORT_DEFAULTS.maxSendMessageBytes,
    // Nothing serves channelz here, and its per-message accounting costs at 1,000 streams.
    "grpc.enable_channelz": options.channelz ? 1 : 0,
  };
}

/** Starts a gRPC server that serves the ADS. */
export async function listenAds(ads: AdsServer, options: TransportOptions): Promise<RunningTransport> {
  const server = new Server(transportChannelOptions(options));
  server.addService(adsServiceDefinition(), ads.handlers());
  if (options.tls) return listenTls(server, options, options.tls);
  const credentials = ServerCredentials.createInsecure();
  const hosts = options.host ? [options.host] : ["::", "0.0.0.0"];
  let lastError: Error | undefined;
  for (const host of hosts) {
    try {
      const port = await bind(server, host, options.port, credentials);
      return { server, host, port, address: hostPort(host, port), onTlsRejection: () => () => {}, shutdown: (graceMs) => shutdown(server, graceMs) };
    } catch (err) {
      lastError = err as Error;
    }
  }
  server.forceShutdown();
  throw new Error(`cannot listen on port ${options.port} (${hosts.join(", ")}): ${lastError?.message}`);
}

async function listenTls(server: Server, options: TransportOptions, tls: NonNullable<TransportOptions["tls"]>): Promise<RunningTransport> {
  const front = createTlsFront(server, tls);
  let host: string;
  try {
    host = await listenDualStack(front.server, options.port, { host: options.host });
  } catch (err) {
    front.detach();
    server.forceShutdown();
    throw new Error(`cannot listen on port ${options.port} (${options.host ?? ":: or 0.0.0.0"}): ${(err as Error).message}`);
  }
  const port = (front.server.address() as AddressInfo).port;
  return {
    server,
    host,
    port,
    address: hostPort(host, port),
    onTlsRejection: (listener) => front.onRejection(listener),
    shutdown: async (graceMs) => {
      // Stop accepting first; grpc-js then drains the connections it was handed.
      front.detach();
      const closed = new Promise<void>((resolve) => front.server.close(() => resolve()));
      await shutdown(server, graceMs);
      front.destroyConnections();
      await closed;
    },
  };
}

function bind(server: Server, host: string, port: number, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(hostPort(host, port), credentials, (err, boundPort) => (err ? reject(err) : resolve(boundPort)));
  });
}

/** host:port, the host bracketed when it is an IPv6 address. */
function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function shutdown(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
