import { describe, expect, it } from "vitest";
import { fitWithHash, labelValue, proxyObjectName } from "./proxy-names";

describe("proxy object names", () => {
  it("prefixes short names and keeps them as they are", () => {
    expect(proxyObjectName("edge")).toBe("gatehouse-edge");
  });

  it("cuts long names to 63 characters with a hash of the whole, so two long names never collide", () => {
    const a = proxyObjectName(`${"a".repeat(80)}-one`);
    const b = proxyObjectName(`${"a".repeat(80)}-two`);
    expect(a).toHaveLength(63);
    expect(b).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^gatehouse-a+-[0-9a-f]{8}$/);
  });

  it("replaces dots (not allowed in Service names) and then always adds the hash", () => {
    const dotted = proxyObjectName("a.b");
    expect(dotted).toMatch(/^gatehouse-a-b-[0-9a-f]{8}$/);
    expect(dotted).not.toBe(proxyObjectName("a-b"));
    expect(proxyObjectName("a-b")).toBe("gatehouse-a-b");
  });

  it("never ends the cut head with a separator", () => {
    expect(fitWithHash(`${"x".repeat(53)}.-.-yyyyyyyyyyyy`)).toMatch(/^x{53}-[0-9a-f]{8}$/);
  });

  it("fits label values to 63 characters", () => {
    expect(labelValue("short")).toBe("short");
    expect(labelValue("n".repeat(253))).toHaveLength(63);
  });
});
