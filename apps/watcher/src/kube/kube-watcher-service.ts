// The watcher in Kubernetes mode: one informer per kind publishes the cluster to `resources`
// and `endpoints` (every replica publishes; the writes are idempotent); once every kind has
// listed, keys an earlier run published that the cluster no longer holds are withdrawn. The
// replica holding the Lease writes the statuses of `status` (and the Ingress statuses of
// `ingress-status`) back to the API server and applies the Envoy infrastructure of our
// Gateways (../infra).
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { ensureBus } from "@gatehouse/bus";
import { type KindInfo } from "@gatehouse/kube";
import { KubeClient, LeaderElector, StatusWriter, type LeaderElectionOptions } from "@gatehouse/kube-client";
import { sleep, type BackoffOptions } from "@gatehouse/runtime";
import { InfraApplier, type InfraApplierOptions } from "../infra/infra-applier";
import { InfraInputs } from "../infra/infra-inputs";
import { BusPublisher } from "../publish/bus-publisher";
import { watcherMetrics } from "../watcher-metrics";
import { ClusterInformers } from "./cluster-informers";
import { ingressStatusWriteBack } from "./ingress-status-write-back";
import { StatusWriteBack } from "./status-write-back";

/** Where the Lease is and its timings (libs/kube-client's LeaderElector options). */
export type LeaderElectionSettings = Pick<LeaderElectionOptions, "namespace" | "name" | "identity" | "leaseDurationMs" | "renewDeadlineMs" | "retryPeriodMs">;

export interface KubeWatcherOptions {
  nc: NatsConnection;
  client: KubeClient;
  logger: Logger;
  controllerName: string;
  leaderElection: LeaderElectionSettings;
  publishConcurrency?: number;
  /** Objects whose status is written at once (default StatusWriteBack's). */
  statusWriteConcurrency?: number;
  informerBackoff?: BackoffOptions;
  watchTimeoutSeconds?: () => number;
  /** Kinds to watch (tests); default every kind but Secret and ConfigMap. */
  kinds?: readonly KindInfo[];
  /** Where the proxies' xds-server is; absent: the watcher does not manage Envoy infrastructure. */
  infrastructure?: Pick<InfraApplierOptions, "controlPlaneNamespace" | "xdsServer" | "concurrency">;
}

export class KubeWatcherService {
  readonly name = "watcher";
  private informers: ClusterInformers | undefined;
  private elector: LeaderElector | undefined;
  private statusWriteBacks: StatusWriteBack[] = [];
  private infra: InfraApplier | undefined;
  private bus: BusPublisher | undefined;
  private swept = false;
  private readonly abort = new AbortController();
  private readonly log: Logger;

  constructor(private readonly opts: KubeWatcherOptions) {
    this.log = opts.logger.child({ component: "kube-watcher" });
  }

  /** True once every kind has synced (or is known missing) and stale keys were withdrawn. */
  get ready(): boolean {
    return this.swept;
  }

  /** What /readyz says until ready, and which CRDs are missing. */
  get readinessDetail(): string {
    const pending = this.informers?.pendingKinds() ?? [];
    const missing = this.informers?.missingKinds() ?? [];
    const parts = [];
    if (pending.length > 0) parts.push(`waiting for the first list of ${pending.join(", ")}`);
    else if (!this.swept) parts.push("withdrawing stale keys");
    if (missing.length > 0) parts.push(`not served by the API server (CRD missing): ${missing.join(", ")}`);
    return parts.join("; ") || "ready";
  }

  get isLeader(): boolean {
    return this.elector?.isLeader ?? false;
  }

  async start(): Promise<void> {
    const { nc, client } = this.opts;
    await ensureBus(nc);
    const bus = (this.bus = await BusPublisher.open(nc, this.log, this.opts.publishConcurrency));
    const infraInputs = new InfraInputs(this.opts.controllerName);
    const infra = (this.infra = this.opts.infrastructure
      ? new InfraApplier({
          client,
          inputs: infraInputs,
          isLeader: () => this.isLeader,
          ...this.opts.infrastructure,
          logger: this.log.child({ part: "infrastructure" }),
          onWrite: (op, kind) => watcherMetrics().infraWrites.inc({ op, kind }),
        })
      : undefined);
    const informers = (this.informers = new ClusterInformers({
      client,
      publisher: bus,
      controllerName: this.opts.controllerName,
      logger: this.log,
      backoff: this.opts.informerBackoff,
      watchTimeoutSeconds: this.opts.watchTimeoutSeconds,
      kinds: this.opts.kinds,
      onChange: infra ? (type, obj) => infra.changed(infraInputs.update(type, obj)) : undefined,
    }));
    const writeBack = {
      nc,
      writer: new StatusWriter({ client, controllerName: this.opts.controllerName, logger: this.log }),
      isLeader: () => this.isLeader,
      concurrency: this.opts.statusWriteConcurrency,
    };
    const statusWriteBacks = (this.statusWriteBacks = [
      new StatusWriteBack({ ...writeBack, logger: this.log.child({ part: "status" }) }),
      ingressStatusWriteBack({ ...writeBack, logger: this.log.child({ part: "ingress-status" }) }),
    ]);
    const le = this.opts.leaderElection;
    this.elector = new LeaderElector({
      client,
      ...le,
      logger: this.log.child({ part: "leader-election" }),
      onStartedLeading: () => {
        this.log.info({ identity: this.elector?.identity }, "leading: writing statuses and infrastructure");
        for (const w of statusWriteBacks) w.resyncAll();
        infra?.resyncAll();
      },
      onStoppedLeading: () => this.log.info("no longer leading: status and infrastructure writes stop"),
    });

    informers.start();
    for (const w of statusWriteBacks) await w.start();
    this.elector.start();
    // The sweep runs in the background so a slow or missing kind does not hold up start.
    void this.sweepWhenSettled(informers, bus);
  }

  /** True when the infrastructure applier has nothing left to apply (or is off). */
  get infrastructureIdle(): boolean {
    return this.infra?.idle ?? true;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.informers?.stop();
    await this.infra?.stop();
    await this.elector?.stop();
    await Promise.all(this.statusWriteBacks.map((w) => w.stop()));
    await this.bus?.flushed();
  }

  /** Stops like a crash would (the Lease is not released), for tests of a leader's death. */
  async kill(): Promise<void> {
    this.abort.abort();
    await this.elector?.stop({ release: false });
    await this.informers?.stop();
    await this.infra?.stop();
    await Promise.all(this.statusWriteBacks.map((w) => w.stop()));
  }

  /** Resolves when every change seen so far is stored in the buckets. */
  async flushed(): Promise<void> {
    await this.bus?.flushed();
  }

  /** Resolves when no status write is waiting or in flight. */
  async statusWritesSettled(): Promise<void> {
    await Promise.all(this.statusWriteBacks.map((w) => w.settled()));
  }

  private async sweepWhenSettled(informers: ClusterInformers, bus: BusPublisher): Promise<void> {
    await informers.whenSettled(this.abort.signal);
    if (this.abort.signal.aborted) return;
    // Rendering waits for the whole picture: every ProxyConfig and the cluster's IP families.
    this.infra?.start();
    while (!this.abort.signal.aborted) {
      try {
        await bus.flushed();
        const withdrawn = await bus.withdrawStale((key) => informers.holds(key));
        if (withdrawn > 0) this.log.info({ withdrawn }, "withdrew objects the cluster no longer holds");
        this.log.info({ missing: informers.missingKinds() }, "cluster published");
        this.swept = true;
        return;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.log.error({ err }, "start-up sweep failed; retrying");
        await sleep(1_000, this.abort.signal);
      }
    }
  }
}
