// OverlappingTLSConfig: HTTPS listeners on one port whose hostnames, or whose certificates'
// DNS names, overlap. A client may then reuse one HTTP/2 connection for both (connection
// coalescing) and reach the wrong listener, so such listeners offer only HTTP/1.1 and carry
// the condition. Same pairing rules as Envoy Gateway: hostnames first, certificates second
// (the certificate reason wins when both overlap).
import type { ListenerNode } from "../graph";

/** Does `a` cover `b`? A wildcard covers names one label below it; otherwise only equality. */
function covers(wild: string, host: string): boolean {
  if (wild.startsWith("*") && !host.startsWith("*")) {
    const suffix = wild.slice(1);
    return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes(".");
  }
  return wild === host;
}

export function hostnamesOverlap(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return covers(b, a) || covers(a, b);
}

function markPairs(listeners: ListenerNode[], overlap: (a: ListenerNode, b: ListenerNode) => string | undefined): Map<ListenerNode, string> {
  const marked = new Map<ListenerNode, string>();
  for (let i = 0; i < listeners.length; i++) {
    if (marked.has(listeners[i])) continue;
    for (let j = i + 1; j < listeners.length; j++) {
      const a = listeners[i];
      const b = listeners[j];
      if (marked.has(b) || a.port !== b.port) continue;
      const what = overlap(a, b);
      if (what === undefined) continue;
      marked.set(a, `${what} in listener ${b.name}`);
      marked.set(b, `${what} in listener ${a.name}`);
    }
  }
  return marked;
}

/** `listeners`: all listeners of one Gateway. */
export function checkTLSOverlaps(listeners: ListenerNode[], dnsNames: Map<ListenerNode, string[]>): void {
  const https = listeners.filter((l) => l.protocol === "HTTPS");
  if (https.length < 2) return;
  const byHostname = markPairs(https, (a, b) =>
    hostnamesOverlap(a.hostname, b.hostname) ? `The hostname ${a.hostname ?? "(any)"} overlaps with the hostname ${b.hostname ?? "(any)"}` : undefined,
  );
  for (const [l, message] of byHostname) {
    l.conditions.set("OverlappingTLSConfig", "True", "OverlappingHostnames", `${message}. ALPN is limited to HTTP/1.1 to prevent HTTP/2 connection coalescing`);
    l.tlsOverlap = true;
  }
  const byCertificate = markPairs(https, (a, b) => {
    for (const x of dnsNames.get(a) ?? []) {
      for (const y of dnsNames.get(b) ?? []) {
        if (hostnamesOverlap(x, y)) return `The certificate SAN ${x} overlaps with the certificate SAN ${y}`;
      }
    }
    return undefined;
  });
  for (const [l, message] of byCertificate) {
    l.conditions.set("OverlappingTLSConfig", "True", "OverlappingCertificates", `${message}. ALPN is limited to HTTP/1.1 to prevent HTTP/2 connection coalescing`);
    l.tlsOverlap = true;
  }
}
