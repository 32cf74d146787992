// Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm and defaults
// (15 s lease, 10 s renew deadline, 2 s retry): a candidate takes the Lease when it is free or
// its holder has not renewed it for a lease duration (measured on our own clock from when we
// last saw the record change, so clock skew between replicas does not matter); the leader
// renews every retry period and steps down when it has not renewed for the renew deadline or
// sees another holder. Every write is a PUT with the resourceVersion read, so two candidates
// cannot both win the same round. client-node has no leader election; this is a port.
import { randomUUID } from "node:crypto";
import { sleep, type Logger } from "@gatehouse/runtime";
import { isAlreadyExists, isConflict, isNotFound } from "./api-error";
import { apiVersionOf } from "@gatehouse/kube";
import { LEASE_RESOURCE, type ApiObject } from "./api-resource";
import type { KubeClient } from "./kube-client";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export type Lease = ApiObject & { spec?: LeaseSpec };

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  /** This replica's identity (the pod name); unique per process by default. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  /** Called when the observed holder changes (including to ourselves). */
  onNewLeader?: (identity: string) => void;
  logger?: Logger;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(d = new Date()): string {
  return d.toISOString().replace(/Z$/, "000Z");
}

type Attempt = "leading" | "held-by-other" | "failed";

export class LeaderElector {
  readonly identity: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private leading = false;
  private lastRenew = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private observed: { record: string; at: number; holder: string } | undefined;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.identity = opts.identity ?? `gatehouse-${randomUUID()}`;
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new Error("leader election needs leaseDuration > renewDeadline > retryPeriod");
    }
  }

  /** True while this replica holds the Lease and renewed it within the renew deadline. */
  get isLeader(): boolean {
    return this.leading && Date.now() - this.lastRenew < this.renewDeadlineMs;
  }

  /** The holder last observed ("" when none). */
  get leader(): string {
    return this.observed?.holder ?? "";
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Stops campaigning; a leader steps down and (unless `release` is false, which is what a
   * crash looks like to the others) releases the Lease so another takes over at once.
   */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.leading) {
      this.stepDown("stopped");
      if (opts.release === false) return;
      await this.release().catch((err: Error) => this.opts.logger?.warn({ error: err.message }, "could not release the lease"));
    }
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      // Acquire: try every retry period (jittered, like client-go) until we hold the Lease.
      while (!signal.aborted && (await this.tryAcquireOrRenew()) !== "leading") {
        await sleep(this.retryPeriodMs * (1 + Math.random() * 0.2), signal);
      }
      if (signal.aborted) return;
      this.becomeLeader();
      // Renew until it fails for the renew deadline or someone else holds the Lease.
      while (!signal.aborted && this.leading) {
        await sleep(this.retryPeriodMs, signal);
        if (signal.aborted || !this.leading) break;
        const result = await this.tryAcquireOrRenew();
        if (result === "leading") this.renewed();
        else if (result === "held-by-other") this.stepDown("another replica holds the lease");
        else if (Date.now() - this.lastRenew >= this.renewDeadlineMs) this.stepDown("renew deadline passed");
      }
    }
  }

  private becomeLeader(): void {
    this.leading = true;
    this.renewed();
    this.opts.logger?.info({ identity: this.identity }, "became leader");
    this.opts.onStartedLeading?.();
  }

  private renewed(): void {
    this.lastRenew = Date.now();
    // If renewals hang (a stuck request), leadership still ends at the deadline.
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.stepDown("renew deadline passed"), this.renewDeadlineMs);
    this.watchdog.unref();
  }

  private stepDown(why: string): void {
    if (!this.leading) return;
    this.leading = false;
    clearTimeout(this.watchdog);
    this.opts.logger?.warn({ identity: this.identity, why }, "stopped leading");
    this.opts.onStoppedLeading?.();
  }

  private async tryAcquireOrRenew(): Promise<Attempt> {
    const { client, namespace, name } = this.opts;
    const now = new Date();
    const spec: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(this.leaseDurationMs / 1000)),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    try {
      let lease: Lease;
      try {
        lease = await client.get<Lease>(LEASE_RESOURCE, namespace, name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await client.create<Lease>(LEASE_RESOURCE, { apiVersion: apiVersionOf(LEASE_RESOURCE), kind: LEASE_RESOURCE.kind, metadata: { name, namespace }, spec });
        this.observe(spec);
        return "leading";
      }
      const current = lease.spec ?? {};
      this.observe(current);
      const held = !!current.holderIdentity && current.holderIdentity !== this.identity;
      if (held && this.observed!.at + this.leaseDurationMs > Date.now()) return "held-by-other";
      const next: LeaseSpec =
        current.holderIdentity === this.identity
          ? { ...current, renewTime: spec.renewTime, leaseDurationSeconds: spec.leaseDurationSeconds }
          : { ...spec, leaseTransitions: (current.leaseTransitions ?? 0) + (current.holderIdentity ? 1 : 0) };
      await client.replace<Lease>(LEASE_RESOURCE, { ...lease, spec: next });
      this.observe(next);
      return "leading";
    } catch (err) {
      if (isConflict(err) || isAlreadyExists(err)) return "failed";
      this.opts.logger?.warn({ error: (err as Error).message }, "lease request failed");
      return "failed";
    }
  }

  /** Records when the Lease record last changed, on our clock (client-go's observedTime). */
  private observe(spec: LeaseSpec): void {
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.acquireTime]);
    if (this.observed?.record === record) return;
    const holder = spec.holderIdentity ?? "";
    const changedHolder = this.observed?.holder !== holder;
    this.observed = { record, at: Date.now(), holder };
    if (changedHolder && holder) this.opts.onNewLeader?.(holder);
  }

  private async release(): Promise<void> {
    const { client, namespace, name } = this.opts;
    const lease = await client.get<Lease>(LEASE_RESOURCE, namespace, name);
    if (lease.spec?.holderIdentity !== this.identity) return;
    const now = microTime();
    await client.replace<Lease>(LEASE_RESOURCE, { ...lease, spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: now, acquireTime: now } });
  }
}
