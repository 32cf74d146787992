// The namespaces that hold a Gateway of ours, from the Gateways the watcher publishes in
// `resources` (it publishes only those of our GatewayClass): each needs the Envoy client
// Secret, since pods mount Secrets of their own namespace only. Reported after the replay
// and then on every change of the set, so a new Gateway namespace gets its Secret promptly.
import { decodeKey, keyFilter, watchBucket, type BucketWatch } from "@gatehouse/bus";
import type { NatsConnection } from "nats";
import type { Logger } from "pino";

export class GatewayNamespaces {
  /** Gateway names by namespace. */
  private readonly gateways = new Map<string, Set<string>>();
  private watch: BucketWatch | undefined;
  private replayed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger,
    private readonly onChange: (namespaces: readonly string[]) => void,
  ) {}

  get namespaces(): string[] {
    return [...this.gateways.keys()].sort();
  }

  /** Resolves once every Gateway present at start was seen and reported. */
  async start(): Promise<void> {
    this.watch = await watchBucket(
      this.nc,
      "resources",
      {
        onValue: (key) => this.update(key, true),
        onDelete: (key) => this.update(key, false),
        onReplayDone: () => {
          this.replayed = true;
          this.report();
        },
      },
      { filter: keyFilter({ kind: "Gateway" }), logger: this.log },
    );
    await this.watch.replayed;
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
  }

  private update(key: string, present: boolean): void {
    let namespace: string, name: string;
    try {
      ({ namespace, name } = decodeKey(key));
    } catch (err) {
      this.log.warn({ key, err: (err as Error).message }, "ignoring a Gateway key that does not decode");
      return;
    }
    const before = this.gateways.size;
    const names = this.gateways.get(namespace) ?? new Set<string>();
    if (present) names.add(name);
    else names.delete(name);
    if (names.size) this.gateways.set(namespace, names);
    else this.gateways.delete(namespace);
    if (this.replayed && this.gateways.size !== before) this.report();
  }

  private report(): void {
    this.log.info({ namespaces: this.namespaces }, "Gateway namespaces for the Envoy client Secret");
    this.onChange(this.namespaces);
  }
}
