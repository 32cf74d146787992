// The ports a Gateway's proxies listen on: one per distinct (port, protocol) of its
// listeners, UDP for UDP listeners (UDPRoute) and TCP for every other protocol.
import { BOOTSTRAP_DEFAULTS } from "@gatehouse/xds";
import type { V1ContainerPort, V1ServicePort } from "@kubernetes/client-node";
import type { ProxyContext } from "./proxy-context";

interface ListenerPort {
  port: number;
  protocol: "TCP" | "UDP";
}

export function listenerPorts(ctx: ProxyContext): ListenerPort[] {
  const seen = new Map<string, ListenerPort>();
  for (const l of ctx.gatewayObject.spec.listeners ?? []) {
    const protocol = l.protocol === "UDP" ? "UDP" : "TCP";
    seen.set(`${protocol}/${l.port}`, { port: l.port, protocol });
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}

/** Port names are IANA service names: at most 15 characters ("tcp-65535" fits). */
function portName(p: ListenerPort): string {
  return `${p.protocol.toLowerCase()}-${p.port}`;
}

export function servicePorts(ctx: ProxyContext): V1ServicePort[] {
  return listenerPorts(ctx).map((p) => ({ name: portName(p), protocol: p.protocol, port: p.port, targetPort: p.port }));
}

export function containerPorts(ctx: ProxyContext): V1ContainerPort[] {
  return [
    ...listenerPorts(ctx).map((p) => ({ name: portName(p), containerPort: p.port, protocol: p.protocol })),
    { name: "ready", containerPort: BOOTSTRAP_DEFAULTS.readinessPort, protocol: "TCP" },
    { name: "metrics", containerPort: BOOTSTRAP_DEFAULTS.statsPort, protocol: "TCP" },
  ];
}
