import { describe, expect, it } from "vitest";
import { ProxyBook } from "./proxy-book";
import { renderStatus } from "./status-view";

const LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
const CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
const ev = (kind: "CONNECTED" | "DISCONNECTED" | "ACK" | "NACK", nodeId: string, typeUrl = "", version = "", errorDetail = "") => ({
  kind,
  nodeId,
  gatewayKey: "default/eg",
  typeUrl,
  version,
  nonce: "n",
  errorDetail,
  timeUnixMs: 1,
  serverId: "s1",
});

describe("status view", () => {
  it("folds xds events into connected proxies with their ACKed versions and open NACKs", () => {
    const book = new ProxyBook();
    book.apply(ev("CONNECTED", "envoy-1"));
    book.apply(ev("ACK", "envoy-1", LDS, "v1aaaaaaaaa"));
    book.apply(ev("NACK", "envoy-1", CDS, "v2", "bad cluster"));
    book.apply(ev("CONNECTED", "envoy-2"));
    book.apply(ev("DISCONNECTED", "envoy-2"));
    const proxies = book.connected();
    expect(proxies.map((p) => p.nodeId)).toEqual(["envoy-1"]);
    expect(proxies[0].acked[LDS]).toBe("v1aaaaaaaaa");
    expect(proxies[0].nack?.error).toBe("bad cluster");
    book.apply(ev("ACK", "envoy-1", CDS, "v3"));
    expect(book.connected()[0].nack).toBeUndefined();
  });

  it("renders Gateways with listeners, attached routes, conditions, proxies and file errors", () => {
    const book = new ProxyBook();
    book.apply(ev("CONNECTED", "envoy-1"));
    book.apply(ev("ACK", "envoy-1", LDS, "abcdef123456"));
    const text = renderStatus({
      gateways: new Map([["default/eg", { key: "default/eg", className: "gatehouse", listeners: [{ name: "http", port: 8080 }] }]]),
      statuses: new Map([
        [
          "default/eg",
          {
            conditions: [
              { type: "Accepted", status: "True" },
              { type: "Programmed", status: "False", reason: "Invalid", message: "proxy rejected the config" },
            ],
            listeners: [{ name: "http", attachedRoutes: 2, conditions: [{ type: "Programmed", status: "True" }] }],
          },
        ],
      ]),
      proxies: book.connected(),
      fileErrors: [{ file: "x.yaml", message: "x.yaml: bad indentation" }],
    });
    expect(text).toContain("default/eg");
    expect(text).toContain("http:8080(2)");
    expect(text).toMatch(/False \(Invalid\)/);
    expect(text).toContain("proxy rejected the config");
    expect(text).toMatch(/envoy-1\s+default\/eg\s+abcdef12/);
    expect(text).toContain("x.yaml: bad indentation");
  });

  it("tells the truth about routes: each route's conditions with reasons, counted once, and the full NACK", () => {
    const book = new ProxyBook();
    book.apply(ev("CONNECTED", "envoy-1"));
    book.apply(ev("NACK", "envoy-1", CDS, "v7", "cluster default/api: connect_timeout must be greater than 0s"));
    const accepted = { type: "Accepted", status: "True" };
    const text = renderStatus({
      gateways: new Map([["default/eg", { key: "default/eg", className: "gatehouse", listeners: [{ name: "a", port: 80 }, { name: "b", port: 81 }] }]]),
      statuses: new Map([
        [
          "default/eg",
          {
            conditions: [accepted, { type: "Programmed", status: "True" }],
            // One route on both listeners: two attachments, one route.
            listeners: [
              { name: "a", attachedRoutes: 1, conditions: [] },
              { name: "b", attachedRoutes: 1, conditions: [] },
            ],
          },
        ],
      ]),
      routes: [
        {
          kind: "HTTPRoute",
          key: "default/web",
          parents: [{ gateway: "default/eg", conditions: [accepted, { type: "ResolvedRefs", status: "False", reason: "BackendNotFound", message: "Service default/nope not found" }] }],
        },
      ],
      proxies: book.connected(),
      fileErrors: [],
    });
    expect(text).toMatch(/default\/eg\s+gatehouse\s+a:80\(1\) b:81\(1\)\s+1\s+True\s+True\s+1 \(1 NACK\)/);
    expect(text).toMatch(/HTTPRoute default\/web\s+default\/eg\s+True\s+False \(BackendNotFound\)/);
    expect(text).toContain("HTTPRoute default/web on default/eg: ResolvedRefs=False (BackendNotFound): Service default/nope not found");
    expect(text).toContain("envoy-1 (default/eg) CDS version v7: cluster default/api: connect_timeout must be greater than 0s");
  });

  it("lists up's service processes first: readiness (with why not), and restarts with the last exit", () => {
    const text = renderStatus({
      services: [
        { name: "cert-manager", pid: 11, ready: true, restarts: 0 },
        { name: "watcher", pid: 12, ready: false, detail: "informers not synced yet", restarts: 0 },
        { name: "ingress-converter", pid: undefined, restarts: 2, lastExit: "code 1" },
        { name: "xds-server", pid: 14, restarts: 0 },
      ],
      gateways: new Map(),
      statuses: new Map(),
      proxies: [],
      fileErrors: [],
    });
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^SERVICE\s+PID\s+READY\s+RESTARTS$/);
    expect(lines[1]).toMatch(/^cert-manager\s+11\s+yes\s+0$/);
    expect(lines[2]).toMatch(/^watcher\s+12\s+no \(informers not synced yet\)\s+0$/);
    expect(lines[3]).toMatch(/^ingress-converter\s+-\s+down\s+2 \(last: code 1\)$/);
    expect(lines[4]).toMatch(/^xds-server\s+14\s+starting\s+0$/);
    expect(text).toContain("No Gateways yet.");
  });
});
