// The watcher's write side, shared by the file and the Kubernetes provider: one PublishQueue
// per bucket (EndpointSlices have their own so endpoint churn never delays a route change),
// objects routed to their bucket by kind, and the start-up sweep that withdraws keys an
// earlier run published which the source no longer holds (the watcher is the only writer of
// both buckets).
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { bucketOf, type KubeObject, type ObjectRef } from "@gatehouse/kube";
import { BucketStore, encodeKey, PublishQueue, type EndpointSliceInput } from "@gatehouse/bus";
import { bucketKeys } from "./bucket-keys";

export class BusPublisher {
  private constructor(
    readonly resources: PublishQueue<{ object: KubeObject; source: string }>,
    readonly endpoints: PublishQueue<EndpointSliceInput>,
    private readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {}

  /** Opens both buckets (the bus must exist: ensureBus). */
  static async open(nc: NatsConnection, log: Logger, concurrency = 64): Promise<BusPublisher> {
    const resources = await BucketStore.open(nc, "resources");
    const endpoints = await BucketStore.open(nc, "endpoints");
    const onError = (bucket: string) => (key: string, err: unknown) => log.warn({ err, bucket, key }, "publish failed; retrying");
    return new BusPublisher(
      new PublishQueue({ put: async (k, v) => void (await resources.put(k, v)), delete: (k) => resources.delete(k) }, { concurrency, onError: onError("resources") }),
      new PublishQueue({ put: async (k, v) => void (await endpoints.put(k, v)), delete: (k) => endpoints.delete(k) }, { concurrency, onError: onError("endpoints") }),
      nc,
      log,
    );
  }

  /** Queues the object for the bucket of its kind. */
  put(ref: ObjectRef, object: KubeObject, source: string): void {
    const key = encodeKey(ref);
    if (bucketOf(ref.kind) === "endpoints") this.endpoints.put(key, object as unknown as EndpointSliceInput);
    else this.resources.put(key, { object, source });
  }

  delete(ref: ObjectRef): void {
    const key = encodeKey(ref);
    if (bucketOf(ref.kind) === "endpoints") this.endpoints.delete(key);
    else this.resources.delete(key);
  }

  /**
   * Deletes every key of both buckets for which `wanted` is false, and waits until stored.
   * `wanted` is asked at deletion time, so an object that appeared since the sweep began is kept.
   */
  async withdrawStale(wanted: (key: string) => boolean): Promise<number> {
    let withdrawn = 0;
    for (const [bucket, queue] of [["resources", this.resources], ["endpoints", this.endpoints]] as const) {
      for (const key of await bucketKeys(this.nc, bucket, this.log)) {
        if (wanted(key)) continue;
        queue.delete(key);
        withdrawn++;
      }
    }
    await this.flushed();
    return withdrawn;
  }

  /** Resolves when every change queued so far is stored. */
  async flushed(): Promise<void> {
    await Promise.all([this.resources.flushed(), this.endpoints.flushed()]);
  }
}
