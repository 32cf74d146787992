// Which listener takes a connection: the one bound to the destination port. Gatehouse binds
// every listener to a wildcard address (0.0.0.0, ::), so the port alone decides; a listener
// on a specific address is reported as such. UDP listeners never take a TCP connection.
import type { JsonObject } from "../resources/json";
import type { ExplainStep } from "./types";

export interface SocketAddress {
  address: string;
  port: number;
  protocol: string;
}

export function socketAddress(listener: JsonObject): SocketAddress | undefined {
  const sa = (listener.address as JsonObject | undefined)?.socket_address as JsonObject | undefined;
  if (!sa) return undefined;
  return { address: String(sa.address ?? ""), port: Number(sa.port_value ?? 0), protocol: String(sa.protocol ?? "TCP") };
}

export function matchListener(listeners: JsonObject[], port: number): { listener?: JsonObject; step: ExplainStep } {
  const tcp = listeners.filter((l) => socketAddress(l)?.protocol !== "UDP");
  const listener = tcp.find((l) => socketAddress(l)?.port === port);
  if (!listener) {
    const ports = [...new Set(tcp.map((l) => socketAddress(l)?.port).filter((p) => p !== undefined))].sort((a, b) => a! - b!);
    return {
      step: {
        rule: "listener",
        notes: [`no listener on port ${port}: the connection is refused`, ports.length ? `listening ports: ${ports.join(", ")}` : "this Gateway has no TCP listener"],
      },
    };
  }
  const sa = socketAddress(listener)!;
  return { listener, step: { rule: "listener", chosen: String(listener.name), notes: [`bound to ${sa.address}:${sa.port}`] } };
}
