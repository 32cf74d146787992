import { describe, expect, it } from "vitest";
import { listenerConflicts } from "./listener-conflicts";

describe("listenerConflicts", () => {
  it("flags HTTP sharing a port with TCP, HTTPS or TLS on every listener of that port", () => {
    const c = listenerConflicts([
      { name: "http", port: 80, protocol: "HTTP" },
      { name: "tcp", port: 80, protocol: "TCP" },
      { name: "udp", port: 80, protocol: "UDP" },
    ]);
    expect([...c.entries()].map(([i, v]) => [i, v.reason])).toEqual([
      [0, "ProtocolConflict"],
      [1, "ProtocolConflict"],
    ]);
  });

  it("lets HTTPS, TLS and TCP share a port, told apart by SNI", () => {
    expect(
      listenerConflicts([
        { name: "https", port: 443, protocol: "HTTPS", hostname: "a.example.com" },
        { name: "tls", port: 443, protocol: "TLS", hostname: "b.example.com" },
        { name: "tcp", port: 443, protocol: "TCP" },
      ]).size,
    ).toBe(0);
  });

  it("flags repeated hostnames among the HTTP-family listeners of a port", () => {
    const c = listenerConflicts([
      { name: "a", port: 443, protocol: "HTTPS", hostname: "x.example.com" },
      { name: "b", port: 443, protocol: "TLS", hostname: "X.example.com" },
      { name: "c", port: 443, protocol: "HTTPS" },
    ]);
    expect([...c.keys()]).toEqual([0, 1]);
    expect(c.get(0)!.reason).toBe("HostnameConflict");
  });

  it("keeps the first TCP and UDP listener of a port and flags the others", () => {
    const c = listenerConflicts([
      { name: "t1", port: 9, protocol: "TCP" },
      { name: "t2", port: 9, protocol: "TCP" },
      { name: "u1", port: 9, protocol: "UDP" },
      { name: "u2", port: 9, protocol: "UDP" },
    ]);
    expect([...c.keys()].sort()).toEqual([1, 3]);
  });
});
