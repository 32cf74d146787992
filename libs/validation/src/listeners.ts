// Listener conflicts within one Gateway, as the Gateway API spec describes them and as
// Envoy Gateway (whose behaviour the conformance corpus records) reports them:
// - HTTP shares a port with nothing but other HTTP listeners; HTTPS, TLS and TCP ride the
//   same TCP socket and are told apart by SNI, so they may share a port, except that
//   only one TCP listener can own a port (it has no hostname to tell it apart).
// - UDP listeners only collide with other UDP listeners, and only one may own a port.
// - Among hostname-bearing listeners (HTTP, HTTPS, TLS) on one port, each hostname
//   (absent counts as one value, the catch-all) must be unique.
// When a listener has both problems, HostnameConflict wins, as in Envoy Gateway, which
// sets it last. An HTTPS listener (terminating TLS) and a TLS Passthrough one that claim
// the same hostname differ in what they do with the connection, not in the name: that is a
// ProtocolConflict (as the Gateway API conformance suite expects).

export interface ListenerShape {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  /** For TLS listeners: Passthrough conflicts by protocol with an HTTPS listener of the same hostname. */
  tlsMode?: "Terminate" | "Passthrough";
}

export type ListenerConflictReason = "ProtocolConflict" | "HostnameConflict";

export interface ListenerConflict {
  reason: ListenerConflictReason;
  message: string;
}

export const PROTOCOL_CONFLICT_MESSAGE = "All listeners for a given port must use a compatible protocol";
export const HOSTNAME_CONFLICT_MESSAGE = "All listeners for a given port must use a unique hostname";

const HOSTNAME_PROTOCOLS = new Set(["HTTP", "HTTPS", "TLS"]);

/** Which listeners conflict, keyed by listener name. Listeners absent from the map are fine. */
export function findListenerConflicts(listeners: readonly ListenerShape[]): Map<string, ListenerConflict> {
  const conflicts = new Map<string, ListenerConflict>();
  if (!Array.isArray(listeners)) return conflicts;

  const streamByPort = new Map<number, ListenerShape[]>();
  const udpByPort = new Map<number, ListenerShape[]>();
  for (const l of listeners) {
    if (!l || typeof l !== "object" || typeof l.name !== "string") continue;
    const byPort = l.protocol === "UDP" ? udpByPort : streamByPort;
    const group = byPort.get(l.port);
    if (group) group.push(l);
    else byPort.set(l.port, [l]);
  }

  for (const group of streamByPort.values()) markStreamPort(group, conflicts);
  for (const group of udpByPort.values()) markOnlyOne(group, "UDP", conflicts);
  return conflicts;
}

function markStreamPort(group: ListenerShape[], conflicts: Map<string, ListenerConflict>): void {
  // Protocol classes: HTTP alone; HTTPS, TLS and TCP together; anything else alone.
  const classes = new Set(group.map((l) => (l.protocol === "HTTP" ? "HTTP" : isSniProtocol(l.protocol) ? "SNI" : l.protocol)));
  if (classes.size > 1) {
    for (const l of group) conflicts.set(l.name, { reason: "ProtocolConflict", message: PROTOCOL_CONFLICT_MESSAGE });
  } else {
    markOnlyOne(group.filter((l) => l.protocol === "TCP"), "TCP", conflicts);
  }

  const byHostname = new Map<string, ListenerShape[]>();
  for (const l of group) {
    if (!HOSTNAME_PROTOCOLS.has(l.protocol)) continue;
    const key = l.hostname ?? "";
    const same = byHostname.get(key);
    if (same) same.push(l);
    else byHostname.set(key, [l]);
  }
  // One verdict per shared hostname, applied in listener order.
  const verdicts = new Map<string, ListenerConflict>();
  for (const [hostname, same] of byHostname) {
    if (same.length < 2) continue;
    const terminatesAndPassesThrough = same.some((l) => l.protocol === "HTTPS") && same.some((l) => l.protocol === "TLS" && l.tlsMode === "Passthrough");
    verdicts.set(
      hostname,
      terminatesAndPassesThrough ? { reason: "ProtocolConflict", message: PROTOCOL_CONFLICT_MESSAGE } : { reason: "HostnameConflict", message: HOSTNAME_CONFLICT_MESSAGE },
    );
  }
  for (const l of group) {
    const verdict = HOSTNAME_PROTOCOLS.has(l.protocol) ? verdicts.get(l.hostname ?? "") : undefined;
    if (verdict) conflicts.set(l.name, { ...verdict });
  }
}

function isSniProtocol(protocol: string): boolean {
  return protocol === "HTTPS" || protocol === "TLS" || protocol === "TCP";
}

/** The first listener keeps the port; every later one of the same protocol conflicts. */
function markOnlyOne(group: ListenerShape[], protocol: string, conflicts: Map<string, ListenerConflict>): void {
  for (let i = 1; i < group.length; i++) {
    if (conflicts.has(group[i].name)) continue;
    conflicts.set(group[i].name, {
      reason: "ProtocolConflict",
      message: `Only one ${protocol} listener is allowed in a given port`,
    });
  }
}

/** Names used by more than one listener, each once, in order of first repetition. */
export function duplicateListenerNames(listeners: readonly { name: string }[]): string[] {
  if (!Array.isArray(listeners)) return [];
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const l of listeners) {
    const name = l?.name;
    if (typeof name !== "string") continue;
    if (seen.has(name)) {
      if (!duplicates.includes(name)) duplicates.push(name);
    } else seen.add(name);
  }
  return duplicates;
}
