// The xds-server as a service: `ir` and `endpoints` in, ADS out, `xds-events` back. It
// opens the gRPC port only after the initial replay of both buckets, so a proxy that
// connects right away gets the whole configuration, never a partial one.
import { randomUUID } from "node:crypto";
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { ensureBus } from "@gatehouse/bus";
import type { IPFamily } from "@gatehouse/ir";
import { AdsServer, listenAds, ResourceCache, type RunningTransport, type StreamStatus, type TransportOptions } from "@gatehouse/ads";
import { startEndpointFastPath, type EndpointFastPathHandle } from "@gatehouse/endpoints";
import { consumeIr, type IrConsumer } from "./ir-consumer";
import { XdsEventPublisher } from "./xds-event-publisher";
import { ServingCertificates, type ServingCertificatesOptions } from "./serving-certificates";
import { watchTlsRejections } from "./tls-rejections";

export interface XdsServiceOptions {
  nc: NatsConnection;
  logger: Logger;
  /** ADS port (0: a free one). */
  port: number;
  host?: string;
  defaultFamily: IPFamily;
  serverId?: string;
  endpointWindowMs?: number;
  /** The most a busy process widens the endpoint coalescing window to (ms). */
  endpointMaxWindowMs?: number;
  /** ADS over TLS (mutual when requireClientCertificate); plaintext when absent. */
  tls?: TransportOptions["tls"];
  /**
   * mTLS with a certificate from cert-manager (own key, CSR over NATS) and the trust bundle
   * of `certs`, both swapped live; takes precedence over `tls`.
   */
  certificates?: Omit<ServingCertificatesOptions, "nc" | "logger" | "requester"> & { requester?: string };
  /** How long open streams get to finish on shutdown. */
  shutdownGraceMs?: number;
}

export class XdsService {
  readonly name = "xds-server";
  readonly cache = new ResourceCache();
  readonly serverId: string;
  ads!: AdsServer;
  private transport: RunningTransport | undefined;
  private ir: IrConsumer | undefined;
  private endpoints: EndpointFastPathHandle | undefined;
  private events: XdsEventPublisher | undefined;
  private started = false;
  private certificates: ServingCertificates | undefined;

  constructor(private readonly opts: XdsServiceOptions) {
    this.serverId = opts.serverId ?? `xds-${randomUUID().slice(0, 8)}`;
  }

  get ready(): boolean {
    return this.started && !!this.ir?.replayDone;
  }

  /** host:port the ADS listens on (after start). */
  get address(): string {
    return this.transport?.address ?? "";
  }

  get port(): number {
    return this.transport?.port ?? 0;
  }

  status(): StreamStatus[] {
    return this.ads?.status() ?? [];
  }

  async start(): Promise<void> {
    const { nc, logger } = this.opts;
    await ensureBus(nc);
    this.ads = new AdsServer({ cache: this.cache, logger });
    this.events = new XdsEventPublisher({ nc, logger, serverId: this.serverId });
    this.ads.addEventListener(this.events);
    this.endpoints = await startEndpointFastPath({
      nc,
      cache: this.cache,
      logger,
      windowMs: this.opts.endpointWindowMs,
      maxWindowMs: this.opts.endpointMaxWindowMs,
      defaultFamily: this.opts.defaultFamily,
    });
    const endpoints = this.endpoints;
    this.ir = await consumeIr({
      nc,
      cache: this.cache,
      logger,
      defaultFamily: this.opts.defaultFamily,
      onGateway: (ir) => endpoints.setGateway(ir),
      onGatewayRemoved: (group) => endpoints.removeGateway(group),
    });
    await Promise.all([this.ir.replayed, this.endpoints.ready]);
    let tls = this.opts.tls;
    if (this.opts.certificates) {
      this.certificates = new ServingCertificates({ ...this.opts.certificates, nc, logger, requester: this.opts.certificates.requester ?? this.serverId });
      await this.certificates.start();
      tls = { source: this.certificates.source, requireClientCertificate: true };
    }
    this.transport = await listenAds(this.ads, { port: this.opts.port, host: this.opts.host, tls });
    if (tls) watchTlsRejections(this.transport, logger);
    this.started = true;
    logger.info({ address: this.transport.address, gateways: this.cache.groupNames().length, serverId: this.serverId }, "serving ADS");
  }

  async close(): Promise<void> {
    await this.transport?.shutdown(this.opts.shutdownGraceMs ?? 2_000);
    await this.certificates?.close();
    await this.ir?.stop();
    await this.endpoints?.stop();
    await this.events?.flushed();
  }
}
