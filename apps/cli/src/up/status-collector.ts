// Reads what the status table shows from a running Gatehouse: Gateway objects from
// `resources` and `derived` (those the ingress-converter generates; one the user wrote wins),
// the watcher's file-error Events from `resources`, Gateway statuses from `status`, and proxy
// events from `xds-events`. `ready` resolves once all three are caught up with what the
// bus held when it started, so `gatehouse status` prints a complete table.
import type { NatsConnection } from "nats";
import {
  consumeXdsEvents,
  keyFilter,
  watchBucket,
  XDS_EVENTS_STREAM,
  type BucketWatch,
  type KubeObject,
  type XdsEventConsumer,
} from "@gatehouse/bus";
import { ProxyBook } from "./proxy-book";
import type { GatewayInfo, GatewayStatusInfo, RouteStatusInfo, StatusViewInput } from "./status-view";

const ROUTE_KINDS = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];

export class StatusCollector {
  private readonly gateways = new Map<string, GatewayInfo>();
  /** Gateways the ingress-converter generated, by bus key. */
  private readonly derivedGateways = new Map<string, GatewayInfo>();
  private readonly statuses = new Map<string, GatewayStatusInfo>();
  private readonly routeStatuses = new Map<string, RouteStatusInfo>();
  private readonly fileErrors = new Map<string, { file: string; message: string }>();
  private readonly proxies = new ProxyBook();
  private watches: BucketWatch[] = [];
  private events: XdsEventConsumer | undefined;
  private readonly silentLogger = silent();
  ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly nc: NatsConnection,
    private readonly onChange: () => void = () => {},
  ) {}

  async start(): Promise<void> {
    const log = this.silentLogger;
    // One watch per kind: nats-server 2.9 cannot filter one consumer by several subjects.
    for (const kind of ["Gateway", "Event"]) {
      this.watches.push(
        await watchBucket(
          this.nc,
          "resources",
          {
            onValue: (key, record) => this.onResource(key, record.object),
            onDelete: (key) => {
              this.gateways.delete(key);
              this.fileErrors.delete(key);
              this.onChange();
            },
          },
          { filter: keyFilter({ kind }), logger: log, deadLetter: false },
        ),
      );
    }
    this.watches.push(
      await watchBucket(
        this.nc,
        "derived",
        {
          onValue: (key, record) => {
            if (record.object.kind !== "Gateway") return;
            this.derivedGateways.set(key, gatewayInfo(record.object));
            this.onChange();
          },
          onDelete: (key) => {
            this.derivedGateways.delete(key);
            this.onChange();
          },
        },
        { filter: keyFilter({ kind: "Gateway" }), logger: log, deadLetter: false },
      ),
    );
    this.watches.push(
      await watchBucket(
        this.nc,
        "status",
        {
          onValue: (key, record) => {
            const s = (record.status ?? {}) as Partial<GatewayStatusInfo>;
            this.statuses.set(key, {
              conditions: Array.isArray(s.conditions) ? s.conditions : [],
              listeners: Array.isArray(s.listeners) ? s.listeners : [],
            });
            this.onChange();
          },
          onDelete: (key) => {
            this.statuses.delete(key);
            this.onChange();
          },
        },
        { filter: keyFilter({ kind: "Gateway" }), logger: log, deadLetter: false },
      ),
    );
    for (const kind of ROUTE_KINDS) {
      this.watches.push(
        await watchBucket(
          this.nc,
          "status",
          {
            onValue: (key, record) => {
              this.routeStatuses.set(key, routeStatus(kind, record.ref.namespace, record.ref.name, record.status));
              this.onChange();
            },
            onDelete: (key) => {
              this.routeStatuses.delete(key);
              this.onChange();
            },
          },
          { filter: keyFilter({ kind }), logger: log, deadLetter: false },
        ),
      );
    }
    const jsm = await this.nc.jetstreamManager();
    const lastSeq = (await jsm.streams.info(XDS_EVENTS_STREAM)).state.last_seq;
    let caughtUp!: () => void;
    const eventsReady = new Promise<void>((resolve) => (caughtUp = resolve));
    if (lastSeq === 0) caughtUp();
    this.events = await consumeXdsEvents(
      this.nc,
      (event, seq) => {
        this.proxies.apply(event);
        if (seq >= lastSeq) caughtUp();
        this.onChange();
      },
      { logger: log },
    );
    this.ready = Promise.all([...this.watches.map((w) => w.replayed), eventsReady]).then(() => undefined);
  }

  private onResource(key: string, obj: KubeObject): void {
    if (obj.kind === "Gateway") {
      this.gateways.set(key, gatewayInfo(obj));
    } else if (obj.kind === "Event" && obj.reason === "InvalidManifest") {
      const involved = (obj.involvedObject ?? {}) as { name?: string };
      this.fileErrors.set(key, { file: involved.name ?? "", message: String(obj.message ?? "") });
    }
    this.onChange();
  }

  /** The table's input; Gateways keyed "namespace/name". */
  view(): StatusViewInput {
    const byGateway = new Map<string, GatewayInfo>();
    // Written after the derived ones: a Gateway the user wrote wins, as in the translator.
    for (const g of [...this.derivedGateways.values(), ...this.gateways.values()]) byGateway.set(g.key, g);
    const statuses = new Map<string, GatewayStatusInfo>();
    for (const [key, s] of this.statuses) statuses.set(gatewayOfKey(key), s);
    return {
      gateways: byGateway,
      statuses,
      routes: [...this.routeStatuses.values()],
      proxies: this.proxies.connected(),
      fileErrors: [...this.fileErrors.values()].sort((a, b) => a.file.localeCompare(b.file)),
    };
  }

  gatewayKeys(): string[] {
    return [...new Set([...this.gateways.values(), ...this.derivedGateways.values()].map((g) => g.key))].sort();
  }

  async stop(): Promise<void> {
    for (const w of this.watches) await w.stop();
    await this.events?.stop();
  }
}

function gatewayInfo(obj: KubeObject): GatewayInfo {
  const spec = (obj.spec ?? {}) as { gatewayClassName?: string; listeners?: { name: string; port?: number; protocol?: string }[] };
  return {
    key: `${obj.metadata.namespace ?? "default"}/${obj.metadata.name}`,
    className: spec.gatewayClassName ?? "",
    listeners: (spec.listeners ?? []).map((l) => ({ name: l.name, port: l.port, protocol: l.protocol })),
  };
}

/** A route's status record as the table shows it: its parents (Gateways) with their conditions. */
function routeStatus(kind: string, namespace: string, name: string, status: unknown): RouteStatusInfo {
  type Parent = { parentRef?: { name?: string; namespace?: string; sectionName?: string }; conditions?: RouteStatusInfo["parents"][number]["conditions"] };
  const parents = ((status as { parents?: Parent[] } | undefined)?.parents ?? []).map((p) => ({
    gateway: `${p.parentRef?.namespace ?? namespace}/${p.parentRef?.name ?? ""}`,
    ...(p.parentRef?.sectionName ? { sectionName: p.parentRef.sectionName } : {}),
    conditions: Array.isArray(p.conditions) ? p.conditions : [],
  }));
  return { kind, key: `${namespace}/${name}`, parents };
}

/** "namespace/name" of a Gateway.namespace.name bus key. */
function gatewayOfKey(key: string): string {
  const [, ns, name] = key.split(".");
  return `${decodePart(ns)}/${decodePart(name)}`;
}

function decodePart(part: string): string {
  return part.replace(/_([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function silent() {
  const noop = () => {};
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return logger;
}
