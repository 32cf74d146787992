// Listener addresses by IP family: 0.0.0.0 for IPv4, :: for IPv6, and :: with ipv4_compat
// for dual stack (one socket that accepts both, so a listener is never IPv4-only on an IPv6
// cluster). The bootstrap's readiness and stats listeners use the same rule.
import type { IPFamily } from "@gatehouse/ir";
import type { JsonObject } from "./json";

export function anyAddress(family: IPFamily): string {
  return family === "IPv4" ? "0.0.0.0" : "::";
}

export function loopbackAddress(family: IPFamily): string {
  return family === "IPv6" ? "::1" : "127.0.0.1";
}

/** envoy.config.core.v3.Address binding every local address of the family. */
export function listenerAddress(port: number, family: IPFamily, protocol: "TCP" | "UDP" = "TCP"): JsonObject {
  const socket: JsonObject = {};
  if (protocol === "UDP") socket.protocol = "UDP";
  socket.address = anyAddress(family);
  socket.port_value = port;
  if (family === "DualStack") socket.ipv4_compat = true;
  return { socket_address: socket };
}

/** A plain host:port socket address (upstream endpoints, the admin interface). */
export function socketAddress(address: string, port: number): JsonObject {
  return { socket_address: { address, port_value: port } };
}
