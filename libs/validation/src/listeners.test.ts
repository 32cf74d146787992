import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  duplicateListenerNames,
  findListenerConflicts,
  HOSTNAME_CONFLICT_MESSAGE,
  PROTOCOL_CONFLICT_MESSAGE,
  type ListenerShape,
} from "./listeners";

interface ConflictCase {
  name: string;
  listeners: ListenerShape[];
  conflicts: Record<string, string>;
}
const cases = parse(readFileSync(new URL("./testdata/listener-conflicts.yaml", import.meta.url), "utf8")) as ConflictCase[];

describe("findListenerConflicts", () => {
  it.each(cases)("$name", ({ listeners, conflicts }) => {
    const found = Object.fromEntries([...findListenerConflicts(listeners)].map(([name, c]) => [name, c.reason]));
    expect(found).toEqual(conflicts);
  });

  it("uses Envoy Gateway's messages", () => {
    const found = findListenerConflicts([
      { name: "a", port: 80, protocol: "HTTP", hostname: "x.com" },
      { name: "b", port: 80, protocol: "HTTP", hostname: "x.com" },
      { name: "c", port: 81, protocol: "HTTP" },
      { name: "d", port: 81, protocol: "TLS", hostname: "y.com" },
      { name: "u1", port: 53, protocol: "UDP" },
      { name: "u2", port: 53, protocol: "UDP" },
    ]);
    expect(found.get("a")?.message).toBe(HOSTNAME_CONFLICT_MESSAGE);
    expect(found.get("c")?.message).toBe(PROTOCOL_CONFLICT_MESSAGE);
    expect(found.get("u2")?.message).toBe("Only one UDP listener is allowed in a given port");
  });

  it("ignores malformed entries instead of throwing", () => {
    const listeners = [null, { port: 80 }, { name: "a", port: 80, protocol: "HTTP" }] as unknown as ListenerShape[];
    expect(findListenerConflicts(listeners).size).toBe(0);
    expect(findListenerConflicts(undefined as unknown as ListenerShape[]).size).toBe(0);
  });
});

describe("duplicateListenerNames", () => {
  it("lists each repeated name once", () => {
    expect(duplicateListenerNames([{ name: "a" }, { name: "b" }, { name: "a" }, { name: "a" }, { name: "b" }])).toEqual(["a", "b"]);
  });

  it("is empty when names are unique", () => {
    expect(duplicateListenerNames([{ name: "a" }, { name: "b" }])).toEqual([]);
  });
});
