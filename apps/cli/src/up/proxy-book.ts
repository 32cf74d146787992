// Connected proxies as the xds-events stream tells them: every CONNECTED, DISCONNECTED,
// ACK and NACK in order, folded into the current state of each proxy stream.
import type { XdsEvent } from "@gatehouse/bus";

export interface ProxyState {
  nodeId: string;
  gateway: string;
  serverId: string;
  connected: boolean;
  /** Last ACKed version per type URL. */
  acked: Record<string, string>;
  /** Last NACK not yet followed by an ACK of the same type. */
  nack?: { typeUrl: string; version: string; error: string };
  lastSeenUnixMs: number;
}

export class ProxyBook {
  private readonly proxies = new Map<string, ProxyState>();

  apply(e: XdsEvent): void {
    // One proxy may reconnect to another replica: key by node and server.
    const key = `${e.gatewayKey}\u0000${e.nodeId}\u0000${e.serverId}`;
    let p = this.proxies.get(key);
    if (!p) {
      p = { nodeId: e.nodeId, gateway: e.gatewayKey, serverId: e.serverId, connected: true, acked: {}, lastSeenUnixMs: 0 };
      this.proxies.set(key, p);
    }
    p.lastSeenUnixMs = Math.max(p.lastSeenUnixMs, e.timeUnixMs);
    switch (e.kind) {
      case "CONNECTED":
        p.connected = true;
        p.acked = {};
        p.nack = undefined;
        break;
      case "DISCONNECTED":
        p.connected = false;
        break;
      case "ACK":
        p.connected = true;
        p.acked[e.typeUrl] = e.version;
        if (p.nack?.typeUrl === e.typeUrl) p.nack = undefined;
        break;
      case "NACK":
        p.connected = true;
        p.nack = { typeUrl: e.typeUrl, version: e.version, error: e.errorDetail };
        break;
    }
  }

  /** Connected proxies, newest state, sorted by Gateway and node. */
  connected(): ProxyState[] {
    return [...this.proxies.values()]
      .filter((p) => p.connected)
      .sort((a, b) => a.gateway.localeCompare(b.gateway) || a.nodeId.localeCompare(b.nodeId) || a.serverId.localeCompare(b.serverId));
  }
}
