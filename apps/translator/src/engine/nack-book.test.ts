import { describe, expect, it } from "vitest";
import { NackBook, withNacks, type ProxyEvent } from "./nack-book";

const CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
const ev = (kind: ProxyEvent["kind"], nodeId = "envoy-1", typeUrl = CDS, errorDetail = ""): ProxyEvent => ({
  kind,
  nodeId,
  gatewayKey: "default/eg",
  typeUrl,
  version: "v2",
  errorDetail,
  serverId: "s1",
});

describe("NackBook", () => {
  it("keeps a NACK open until the proxy ACKs that type again or goes away", () => {
    const book = new NackBook();
    expect(book.apply(ev("NACK", "envoy-1", CDS, "bad cluster"))).toBe(true);
    expect(book.apply(ev("NACK", "envoy-1", CDS, "bad cluster"))).toBe(false);
    expect(book.nacks("default/eg")).toEqual([{ nodeId: "envoy-1", typeUrl: CDS, version: "v2", error: "bad cluster" }]);
    expect(book.apply(ev("ACK", "envoy-1", "type.googleapis.com/envoy.config.listener.v3.Listener"))).toBe(false);
    expect(book.apply(ev("ACK", "envoy-1", CDS))).toBe(true);
    expect(book.nacks("default/eg")).toEqual([]);
    book.apply(ev("NACK", "envoy-2", CDS, "x"));
    expect(book.apply(ev("DISCONNECTED", "envoy-2", ""))).toBe(true);
    expect(book.nacks("default/eg")).toEqual([]);
  });

  it("turns Programmed to False with the proxy's error while a NACK is open", () => {
    const status = {
      conditions: [
        { type: "Accepted", status: "True", reason: "Accepted", message: "ok" },
        { type: "Programmed", status: "True", reason: "Programmed", message: "ok", observedGeneration: 3 },
      ],
      listeners: [],
    };
    expect(withNacks(status, [])).toBe(status);
    const out = withNacks(status, [{ nodeId: "envoy-1", typeUrl: CDS, version: "v2", error: "bad cluster" }]);
    expect(out.conditions).toEqual([
      status.conditions[0],
      { type: "Programmed", status: "False", reason: "Invalid", observedGeneration: 3, message: "proxy envoy-1 rejected Cluster version v2: bad cluster" },
    ]);
  });
});
