// Which listeners of one Gateway cannot share their port. Envoy Gateway's rules, which the
// conformance corpus follows: HTTP cannot share a port with HTTPS, TLS or TCP (all of them
// need the same TCP socket and plain HTTP has no SNI to tell them apart); HTTP, HTTPS and TLS
// listeners on one port need distinct hostnames; only one TCP and one UDP listener per port
// (the first keeps the port). TLS and HTTPS coexist by SNI, and TCP with them as the
// no-SNI fallback.

export interface ConflictInput {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
}

export interface ListenerConflict {
  reason: "ProtocolConflict" | "HostnameConflict";
  message: string;
}

export function listenerConflicts(listeners: ConflictInput[]): Map<number, ListenerConflict> {
  const out = new Map<number, ListenerConflict>();
  const byPort = new Map<number, number[]>();
  listeners.forEach((l, i) => {
    const list = byPort.get(l.port) ?? [];
    list.push(i);
    byPort.set(l.port, list);
  });
  for (const [port, indexes] of byPort) {
    const protocols = new Set(indexes.map((i) => listeners[i].protocol));
    const hasHTTP = protocols.has("HTTP");
    const streamOthers = ["HTTPS", "TLS", "TCP"].filter((p) => protocols.has(p));
    if (hasHTTP && streamOthers.length > 0) {
      for (const i of indexes) {
        if (listeners[i].protocol === "UDP") continue;
        out.set(i, {
          reason: "ProtocolConflict",
          message: `All listeners for port ${port} must use a compatible protocol (HTTP cannot share it with ${streamOthers.join(", ")})`,
        });
      }
      continue;
    }
    // Hostnames must be unique among the layer-7 listeners of a port.
    const l7 = indexes.filter((i) => ["HTTP", "HTTPS", "TLS"].includes(listeners[i].protocol));
    const counts = new Map<string, number>();
    for (const i of l7) {
      const h = (listeners[i].hostname ?? "").toLowerCase();
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    for (const i of l7) {
      const h = (listeners[i].hostname ?? "").toLowerCase();
      if ((counts.get(h) ?? 0) > 1) {
        out.set(i, {
          reason: "HostnameConflict",
          message: `All listeners for port ${port} must use a unique hostname; ${h || "(no hostname)"} is used more than once`,
        });
      }
    }
    for (const proto of ["TCP", "UDP"]) {
      const same = indexes.filter((i) => listeners[i].protocol === proto);
      for (const i of same.slice(1)) {
        out.set(i, {
          reason: "ProtocolConflict",
          message: `Only one ${proto} listener is allowed on port ${port}; ${listeners[same[0]].name} has it`,
        });
      }
    }
  }
  return out;
}
