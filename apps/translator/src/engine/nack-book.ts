// NACKs of each Gateway's proxies, from the xds-events stream: a NACK stays open until the
// same proxy ACKs that type again (it applied a newer version) or goes away. A Gateway
// with open NACKs is not Programmed, whatever its translation says: a proxy runs an older
// config than the one Gatehouse computed.

export interface ProxyEvent {
  kind: "ACK" | "NACK" | "CONNECTED" | "DISCONNECTED";
  nodeId: string;
  gatewayKey: string;
  typeUrl: string;
  version: string;
  errorDetail: string;
  serverId: string;
}

export interface OpenNack {
  nodeId: string;
  typeUrl: string;
  version: string;
  error: string;
}

export class NackBook {
  /** gateway -> "server\0node\0typeUrl" -> NACK */
  private readonly open = new Map<string, Map<string, OpenNack>>();

  /** Applies an event; returns true when the Gateway's open NACKs changed. */
  apply(e: ProxyEvent): boolean {
    const gw = this.open.get(e.gatewayKey);
    const node = `${e.serverId}\u0000${e.nodeId}\u0000`;
    switch (e.kind) {
      case "NACK": {
        let map = gw;
        if (!map) this.open.set(e.gatewayKey, (map = new Map()));
        const key = node + e.typeUrl;
        const before = map.get(key);
        map.set(key, { nodeId: e.nodeId, typeUrl: e.typeUrl, version: e.version, error: e.errorDetail });
        return !before || before.error !== e.errorDetail || before.version !== e.version;
      }
      case "ACK":
        return this.drop(e.gatewayKey, (k) => k === node + e.typeUrl);
      case "CONNECTED":
      case "DISCONNECTED":
        return this.drop(e.gatewayKey, (k) => k.startsWith(node));
    }
  }

  nacks(gateway: string): OpenNack[] {
    return [...(this.open.get(gateway)?.values() ?? [])].sort(
      (a, b) => a.nodeId.localeCompare(b.nodeId) || a.typeUrl.localeCompare(b.typeUrl),
    );
  }

  private drop(gateway: string, match: (key: string) => boolean): boolean {
    const map = this.open.get(gateway);
    if (!map) return false;
    let changed = false;
    for (const k of [...map.keys()]) {
      if (!match(k)) continue;
      map.delete(k);
      changed = true;
    }
    if (map.size === 0) this.open.delete(gateway);
    return changed;
  }
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  [field: string]: unknown;
}

/** The Gateway status with Programmed=False when its proxies have open NACKs. */
export function withNacks(status: Record<string, unknown>, nacks: OpenNack[]): Record<string, unknown> {
  if (nacks.length === 0) return status;
  const shortType = (t: string) => t.slice(t.lastIndexOf(".") + 1);
  const first = nacks[0];
  const more = nacks.length > 1 ? ` (and ${nacks.length - 1} more)` : "";
  const message = `proxy ${first.nodeId} rejected ${shortType(first.typeUrl)} version ${first.version}: ${first.error}${more}`;
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
  const programmed = conditions.find((c) => c.type === "Programmed");
  const replaced: Condition = { ...(programmed ?? {}), type: "Programmed", status: "False", reason: "Invalid", message };
  const next = programmed ? conditions.map((c) => (c === programmed ? replaced : c)) : [...conditions, replaced];
  return { ...status, conditions: next };
}
