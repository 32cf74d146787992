// IR emission: one GatewayIR per accepted Gateway. Ready listeners that share a port become
// one Envoy listener with a filter chain per Gateway listener (per route for TLS, where SNI
// picks the route); plain HTTP listeners of a port share one chain, since without TLS only
// the Host header tells them apart. Routes inside a virtual host follow the spec's precedence.
import {
  IR_SCHEMA_VERSION,
  type Cluster,
  type FilterChain,
  type GatewayIR,
  type HTTPFilterChain,
  type HTTPRoute as IRRoute,
  type Listener,
  type TCPFilterChain,
  type TLSSecret,
  type VirtualHost,
  type WeightedClusters,
} from "@gatehouse/ir";
import { mergedListeners } from "./processors/listener-sets";
import type { BuiltHTTPRoute, GatewayNode, HTTPAttachment, ListenerNode, PrecedenceKey, TranslationGraph } from "./graph";
import { compareHostSpecificity, isWildcard, wildcardMatches } from "./hostnames";

const HTTPS_ALPN = ["h2", "http/1.1"];

export function emitGatewayIR(graph: TranslationGraph, gw: GatewayNode): GatewayIR {
  const usedClusters = new Set<string>();
  const usedSecrets = new Set<string>();
  const useDestination = (d: WeightedClusters | undefined) => d?.clusters.forEach((c) => usedClusters.add(c.cluster));

  const groups = new Map<string, ListenerNode[]>();
  for (const l of mergedListeners(gw)) {
    if (!l.ready) continue;
    const transport = l.protocol === "UDP" ? "udp" : "tcp";
    const key = `${transport}/${l.port}`;
    const list = groups.get(key) ?? [];
    list.push(l);
    groups.set(key, list);
  }

  const listeners: Listener[] = [];
  for (const [key, members] of groups) {
    const [transport, portText] = key.split("/");
    const port = Number(portText);
    const listener: Listener = {
      name: `${transport}-${port}`,
      port,
      containerPort: port < 1024 ? port + 10000 : port,
      transport: transport as "tcp" | "udp",
      filterChains: [],
    };
    if (transport === "udp") {
      const first = members.find((l) => l.udp.length > 0) ?? members[0];
      const att = first.udp[0];
      listener.udp = {
        sources: members.map(sourceOf),
        ...(att ? { routeSource: { kind: att.route.kind, namespace: att.route.namespace, name: att.route.name } } : {}),
        ...(att?.destination ? { destination: att.destination } : {}),
      };
      useDestination(att?.destination);
    } else {
      listener.filterChains = buildChains(gw, port, members, useDestination, usedSecrets);
    }
    listeners.push(listener);
  }
  listeners.sort((a, b) => a.port - b.port || (a.transport < b.transport ? -1 : a.transport > b.transport ? 1 : 0));

  for (const l of listeners) {
    for (const chain of l.filterChains) {
      if (chain.kind !== "http") continue;
      for (const vh of chain.virtualHosts) {
        for (const r of vh.routes) {
          useDestination(r.destination);
          r.mirrors?.forEach((m) => usedClusters.add(m.cluster));
        }
      }
    }
  }
  const clusters: Cluster[] = [...usedClusters].sort().map((name) => graph.clusters.get(name)!);
  for (const c of clusters) if (c.tls?.clientCertificate) usedSecrets.add(c.tls.clientCertificate);
  const secrets: TLSSecret[] = [...usedSecrets].sort().map((name) => graph.secrets.get(name)!);
  const infra = gw.spec.infrastructure ?? {};
  return {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: gw.namespace, name: gw.name },
    gatewayClassName: gw.className,
    ...(gw.ipFamily ? { ipFamily: gw.ipFamily } : {}),
    listeners,
    clusters,
    secrets,
    infrastructure: {
      labels: { ...(infra.labels ?? {}) },
      annotations: { ...(infra.annotations ?? {}) },
      addresses: (gw.spec.addresses ?? []).map((a) => a.value ?? "").filter((v) => v !== ""),
    },
  };
}

function sourceOf(l: ListenerNode): string {
  return `${l.gateway.key}/${l.id}`;
}

function buildChains(
  gw: GatewayNode,
  port: number,
  members: ListenerNode[],
  useDestination: (d: WeightedClusters | undefined) => void,
  usedSecrets: Set<string>,
): FilterChain[] {
  const chains: FilterChain[] = [];
  const takenSNI = new Set<string>();
  let catchAllTaken = false;
  // Envoy rejects two chains with the same match: the first claim on a server name wins.
  const claim = (names: string[]): string[] | undefined => {
    if (names.length === 0) {
      if (catchAllTaken) return undefined;
      catchAllTaken = true;
      return [];
    }
    const free = names.filter((n) => !takenSNI.has(n));
    if (free.length === 0) return undefined;
    free.forEach((n) => takenSNI.add(n));
    return free;
  };
  const serverNames = (hosts: string[]) => (hosts.includes("*") ? [] : [...hosts].sort());

  const plain = members.filter((l) => l.protocol === "HTTP");
  if (plain.length > 0 && claim([])) {
    const chain: HTTPFilterChain = {
      kind: "http",
      name: `${gw.key}/http-${port}`,
      sources: plain.map(sourceOf),
      serverNames: [],
      routeConfigName: `http-${port}`,
      virtualHosts: withListenerHosts(virtualHosts(isolated(plain), port), plain),
    };
    chains.push(chain);
  }
  for (const l of members) {
    if (l.protocol === "HTTPS") {
      const names = claim(l.hostname ? [l.hostname] : []);
      if (!names) continue;
      l.certificates.forEach((c) => usedSecrets.add(c));
      chains.push({
        kind: "http",
        name: sourceOf(l),
        sources: [sourceOf(l)],
        serverNames: names,
        tls: {
          certificates: [...l.certificates],
          alpnProtocols: l.tlsOverlap ? ["http/1.1"] : HTTPS_ALPN,
          ...(l.clientValidation ? { clientValidation: l.clientValidation } : {}),
        },
        routeConfigName: `https-${port}-${l.id}`,
        virtualHosts: httpsVirtualHosts(l, members, port),
      });
    } else if (l.protocol === "TLS") {
      for (const att of l.tcp) {
        const names = claim(serverNames(att.hosts));
        if (!names) continue;
        const chain: TCPFilterChain = {
          kind: "tcp",
          name: `${sourceOf(l)}/${att.route.kind.toLowerCase()}/${att.route.namespace}/${att.route.name}`,
          sources: [sourceOf(l)],
          serverNames: names,
          routeSource: { kind: att.route.kind, namespace: att.route.namespace, name: att.route.name },
          ...(att.destination ? { destination: att.destination } : {}),
        };
        if (l.tlsMode === "Passthrough") chain.tlsPassthrough = true;
        else {
          l.certificates.forEach((c) => usedSecrets.add(c));
          chain.tls = {
            certificates: [...l.certificates],
            alpnProtocols: [],
            ...(l.clientValidation ? { clientValidation: l.clientValidation } : {}),
          };
        }
        useDestination(att.destination);
        chains.push(chain);
      }
    } else if (l.protocol === "TCP") {
      if (!claim([])) continue;
      const att = l.tcp[0];
      chains.push({
        kind: "tcp",
        name: sourceOf(l),
        sources: [sourceOf(l)],
        serverNames: [],
        ...(att ? { routeSource: { kind: att.route.kind, namespace: att.route.namespace, name: att.route.name } } : {}),
        ...(att?.destination ? { destination: att.destination } : {}),
      });
      useDestination(att?.destination);
    }
  }
  return chains;
}

/**
 * HTTP listener isolation (GatewayHTTPListenerIsolation): a request is served only by the most
 * specific listener of the port whose hostname matches it. Plain HTTP listeners share one
 * chain, so a route host that a more specific listener claims whole is dropped from the
 * attachments of less specific listeners; Envoy's most-specific-domain choice does the rest.
 */
function isolated(listeners: ListenerNode[], among: ListenerNode[] = listeners): HTTPAttachment[] {
  const out: HTTPAttachment[] = [];
  for (const l of listeners) {
    const mine = l.hostname ?? "*";
    const closer = among.filter((o) => o.hostname && compareHostSpecificity(o.hostname, mine) < 0);
    for (const att of l.http) {
      const hosts = att.hosts.filter((h) => !closer.some((o) => claims(o.hostname!, h)));
      if (hosts.length === att.hosts.length) out.push(att);
      else if (hosts.length > 0) out.push({ ...att, hosts });
    }
  }
  return out;
}

/** Whether every request for `host` (a name or a wildcard) matches listener hostname `pattern`. */
function claims(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!isWildcard(pattern)) return false;
  return wildcardMatches(pattern, isWildcard(host) ? host.slice(2) : host) && (!isWildcard(host) || host.length > pattern.length);
}

/**
 * An HTTPS listener's virtual hosts: its routes, isolated from the more specific HTTPS
 * listeners of the port (GatewayHTTPListenerIsolation), and the hostnames of the port's other
 * HTTPS listeners answering 421 (GatewayHTTPSListenerDetectMisdirectedRequests): a client
 * whose TLS server name chose this listener asks for a host another listener serves.
 */
function httpsVirtualHosts(l: ListenerNode, members: ListenerNode[], port: number): VirtualHost[] {
  const https = members.filter((m) => m.protocol === "HTTPS");
  const own = withListenerHosts(virtualHosts(isolated([l], https), port), [l]);
  const taken = new Set(own.map((vh) => vh.name));
  const others = [...new Set(https.map((m) => m.hostname).filter((h): h is string => h !== undefined && !taken.has(h)))];
  if (others.length === 0) return own;
  return [...own, { name: "misdirected:421", domains: others.sort(compareHostSpecificity), routes: [], misdirected: true }];
}

/**
 * Every listener hostname of the chain gets a virtual host, even without routes (Envoy then
 * answers 404): otherwise its requests would fall through to a less specific listener's routes.
 */
function withListenerHosts(hosts: VirtualHost[], listeners: ListenerNode[]): VirtualHost[] {
  const names = new Set(hosts.map((h) => h.name));
  const missing = [...new Set(listeners.map((l) => l.hostname).filter((h): h is string => h !== undefined && !names.has(h)))];
  if (missing.length === 0) return hosts;
  return [...hosts, ...missing.map((h) => ({ name: h, domains: [h], routes: [] }))].sort((a, b) => compareHostSpecificity(a.name, b.name));
}

function virtualHosts(attachments: HTTPAttachment[], port: number): VirtualHost[] {
  const byHost = new Map<string, BuiltHTTPRoute[]>();
  // A route attached through two listeners or two parentRefs to this chain is added once per host.
  const added = new Map<string, Set<HTTPAttachment["route"]>>();
  for (const att of attachments) {
    for (const host of att.hosts) {
      let list = byHost.get(host);
      if (!list) {
        byHost.set(host, (list = []));
        added.set(host, new Set());
      }
      const seen = added.get(host)!;
      if (seen.has(att.route)) continue;
      seen.add(att.route);
      for (const b of att.routes) list.push(b);
    }
  }
  const hosts = [...byHost.keys()].sort(compareHostSpecificity);
  const clones = new Map<BuiltHTTPRoute, IRRoute>();
  return hosts.map((host) => {
    const built = byHost.get(host)!;
    built.sort((a, b) => comparePrecedence(a.precedence, b.precedence));
    const routes: IRRoute[] = new Array(built.length);
    for (let i = 0; i < built.length; i++) routes[i] = withListenerPort(built[i], port, clones);
    return { name: host, domains: [host], routes };
  });
}

/** Fills a redirect's port as the spec asks: the scheme's well-known port, else the listener's. */
function withListenerPort(b: BuiltHTTPRoute, port: number, clones: Map<BuiltHTTPRoute, IRRoute>): IRRoute {
  if (!b.redirectPortFromListener || !b.ir.redirect) return b.ir;
  let clone = clones.get(b);
  if (!clone) {
    const scheme = b.ir.redirect.scheme;
    const derived = scheme === "http" ? 80 : scheme === "https" ? 443 : port;
    clone = { ...b.ir, redirect: { ...b.ir.redirect, port: derived } };
    clones.set(b, clone);
  }
  return clone;
}

export function comparePrecedence(a: PrecedenceKey, b: PrecedenceKey): number {
  return (
    a.pathRank - b.pathRank ||
    b.pathLength - a.pathLength ||
    Number(b.hasMethod) - Number(a.hasMethod) ||
    b.headers - a.headers ||
    b.queryParams - a.queryParams ||
    a.routeOrder - b.routeOrder ||
    a.ruleIndex - b.ruleIndex ||
    a.matchIndex - b.matchIndex ||
    Number(a.preflight ?? false) - Number(b.preflight ?? false)
  );
}
