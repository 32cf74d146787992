// `ir` bucket -> ADS cache. Each Gateway's IR becomes its group's listeners, routes,
// clusters and secrets (one cache snapshot, so a stream sees new clusters together with the
// listeners that use them); a deleted IR removes the group. The endpoint fast path hears
// about every IR too, so it knows which clusters each Gateway has.
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { Counter, Histogram, register } from "prom-client";
import { decodeKey, watchBucket, type BucketWatch } from "@gatehouse/bus";
import { parseGatewayKey, type GatewayIR, type IPFamily } from "@gatehouse/ir";
import type { ResourceCache } from "@gatehouse/ads";
import { buildGatewaySnapshot } from "./gateway-snapshot";

export interface IrConsumerOptions {
  nc: NatsConnection;
  cache: ResourceCache;
  logger: Logger;
  defaultFamily: IPFamily;
  /** Told of every IR put and delete (the endpoint fast path). */
  onGateway?: (ir: GatewayIR) => void;
  onGatewayRemoved?: (group: string) => void;
}

export interface IrConsumer {
  readonly replayed: Promise<void>;
  readonly replayDone: boolean;
  /** Content hash of the IR each group was built from. */
  readonly applied: ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

interface IrMetrics {
  apply: Histogram;
  rejected: Counter<"type">;
}

let metrics: IrMetrics | undefined;
function irMetrics(): IrMetrics {
  return (metrics ??= {
    apply:
      (register.getSingleMetric("gatehouse_xds_ir_apply_seconds") as Histogram) ??
      new Histogram({
        name: "gatehouse_xds_ir_apply_seconds",
        help: "Time from an IR arriving to its resources being in the ADS cache (pushed to streams)",
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
    rejected:
      (register.getSingleMetric("gatehouse_xds_resources_rejected_total") as Counter<"type">) ??
      new Counter({
        name: "gatehouse_xds_resources_rejected_total",
        help: "Resources left out because they fail Envoy's validation rules",
        labelNames: ["type"],
      }),
  });
}

export async function consumeIr(opts: IrConsumerOptions): Promise<IrConsumer> {
  const log = opts.logger.child({ component: "ir-consumer" });
  const m = irMetrics();
  const applied = new Map<string, string>();
  const watch: BucketWatch = await watchBucket(
    opts.nc,
    "ir",
    {
      onValue: (key, record) => {
        const started = performance.now();
        const group = record.gatewayKey;
        try {
          parseGatewayKey(group);
        } catch {
          log.warn({ key, group }, "IR with an invalid gateway key ignored");
          return;
        }
        if (applied.get(group) === record.contentHash) return;
        const snapshot = buildGatewaySnapshot(record.ir, opts.defaultFamily);
        for (const f of snapshot.failures) {
          m.rejected.inc({ type: f.typeUrl.slice(f.typeUrl.lastIndexOf(".") + 1) });
          log.error(
            { gateway: group, typeUrl: f.typeUrl, name: f.resourceName, dropped: f.dropped, source: f.source, issues: f.issues.slice(0, 5) },
            "resource fails validation; left out",
          );
        }
        // The fast path learns the clusters first, so their assignments exist when CDS arrives.
        opts.onGateway?.(record.ir);
        opts.cache.setGroupSnapshot(group, snapshot.byType);
        applied.set(group, record.contentHash);
        m.apply.observe((performance.now() - started) / 1000);
        log.debug({ gateway: group, hash: record.contentHash }, "IR applied");
      },
      onDelete: (key) => {
        const group = groupOfKey(key);
        if (!group) return;
        opts.cache.removeGroup(group);
        opts.onGatewayRemoved?.(group);
        applied.delete(group);
        log.info({ gateway: group }, "Gateway removed");
      },
    },
    { logger: log },
  );
  return {
    replayed: watch.replayed,
    get replayDone() {
      return watch.replayDone;
    },
    applied,
    stop: () => watch.stop(),
  };
}

/** The group ("namespace/name") of a deleted `ir` key (Gateway.namespace.name). */
function groupOfKey(key: string): string | undefined {
  try {
    const { namespace, name } = decodeKey(key);
    return `${namespace}/${name}`;
  } catch {
    return undefined;
  }
}
