// What the ADS server tells the rest of the service: proxies connecting and going away, and
// every ACK and NACK with the node, its group and the versions involved. The xds-server's
// wiring publishes these to the xds-events stream (Gateway status); tests listen directly.

export type XdsProtocol = "sotw" | "delta";

export interface StreamIdentity {
  readonly streamId: number;
  readonly nodeId: string;
  /** The group the node belongs to (its node.cluster: the Gateway key "namespace/name"). */
  readonly group: string;
  readonly protocol: XdsProtocol;
  readonly peer: string;
}

export interface ConnectEvent extends StreamIdentity {
  readonly at: Date;
}

export interface DisconnectEvent extends StreamIdentity {
  readonly at: Date;
  /** The last ACKed version per type URL at the time of the disconnection. */
  readonly ackedVersions: Readonly<Record<string, string>>;
}

export interface AckEvent extends StreamIdentity {
  readonly typeUrl: string;
  readonly version: string;
  readonly nonce: string;
  readonly at: Date;
}

export interface NackEvent extends AckEvent {
  /** The last version this proxy accepted for the type, which it keeps running. */
  readonly ackedVersion: string;
  readonly errorCode: number;
  readonly errorMessage: string;
  /** Names of the resources in the rejected response. */
  readonly resourceNames: readonly string[];
}

export interface ResponseEvent extends StreamIdentity {
  readonly typeUrl: string;
  readonly version: string;
  readonly nonce: string;
  readonly resources: number;
  readonly removed: number;
  /** Encoded bytes of the resources carried. */
  readonly bytes: number;
}

export interface XdsEventListener {
  onConnect?(event: ConnectEvent): void;
  /** Each response written to a stream (for metrics and measurements; called often). */
  onResponse?(event: ResponseEvent): void;
  onDisconnect?(event: DisconnectEvent): void;
  onAck?(event: AckEvent): void;
  onNack?(event: NackEvent): void;
}

/** Fans events out to listeners; a listener that throws is logged, never breaks a stream. */
export class XdsEventHub {
  private readonly listeners = new Set<XdsEventListener>();

  constructor(private readonly onListenerError: (err: unknown, kind: string) => void) {}

  /** Whether anyone listens to this kind (to skip building events nobody reads). */
  has(kind: keyof XdsEventListener): boolean {
    for (const l of this.listeners) if (l[kind]) return true;
    return false;
  }

  add(listener: XdsEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends keyof XdsEventListener>(kind: K, event: Parameters<NonNullable<XdsEventListener[K]>>[0]): void {
    for (const l of this.listeners) {
      const fn = l[kind] as ((e: typeof event) => void) | undefined;
      if (!fn) continue;
      try {
        fn.call(l, event);
      } catch (err) {
        this.onListenerError(err, kind);
      }
    }
  }
}
