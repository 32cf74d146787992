import type { GatewayIR } from "@gatehouse/ir";
import { describe, expect, it } from "vitest";
import type { ObjectStatus } from "./status-book";
import { TranslationEngine, type EngineObject, type TranslationBackend } from "./translation-engine";

// A miniature "Gateway API": a Gateway is ours when spec.class is "ours"; a route attaches
// to the Gateways named in spec.parents (same namespace).
const gw = (name: string, cls = "ours"): EngineObject => ({ kind: "Gateway", metadata: { name, namespace: "ns" }, spec: { class: cls } });
const route = (name: string, parents: string[], path = "/"): EngineObject => ({
  kind: "HTTPRoute",
  metadata: { name, namespace: "ns" },
  spec: { parents, path },
});
const id = (o: EngineObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

class FakeBackend implements TranslationBackend {
  calls: string[][] = [];
  dependencies(objects: ReadonlyMap<string, EngineObject>) {
    const deps = new Map<string, Set<string>>();
    for (const [oid, o] of objects) {
      if (o.kind === "Gateway" && (o.spec as { class: string }).class === "ours") deps.set(`ns/${o.metadata.name}`, new Set([oid]));
    }
    for (const [oid, o] of objects) {
      if (o.kind !== "HTTPRoute") continue;
      for (const p of (o.spec as { parents: string[] }).parents) deps.get(`ns/${p}`)?.add(oid);
    }
    return deps;
  }
  translate(objects: ReadonlyMap<string, EngineObject>, gateways: string[]) {
    this.calls.push(gateways);
    const deps = this.dependencies(objects);
    const irs = new Map<string, GatewayIR>();
    const statuses: ObjectStatus[] = [];
    for (const g of gateways) {
      const ids = deps.get(g);
      if (!ids) continue;
      const routes = [...ids].filter((i) => i.startsWith("HTTPRoute/")).sort();
      const paths = routes.map((r) => (objects.get(r)!.spec as { path: string }).path);
      irs.set(g, { gateway: { namespace: "ns", name: g.slice(3) }, paths } as unknown as GatewayIR);
      statuses.push({ ref: { group: "g", kind: "Gateway", namespace: "ns", name: g.slice(3) }, observedGeneration: 1, status: { attached: routes.length } });
      for (const r of routes) {
        const obj = objects.get(r)!;
        statuses.push({
          ref: { group: "g", kind: "HTTPRoute", namespace: "ns", name: obj.metadata.name },
          observedGeneration: 1,
          status: { parents: [{ parentRef: { name: g.slice(3) }, accepted: true }] },
        });
      }
    }
    return { irs, statuses };
  }
}

const batch = (...entries: [EngineObject, boolean?][]) =>
  new Map(entries.map(([o, del]) => [id(o), del ? null : o] as [string, EngineObject | null]));

describe("TranslationEngine", () => {
  it("translates everything on the full pass, then only the Gateways a change affects", () => {
    const backend = new FakeBackend();
    const e = new TranslationEngine(backend);
    const first = e.apply(batch([gw("a")], [gw("b")], [route("r1", ["a"])], [route("r2", ["b"])]), true);
    expect(first.translated).toEqual(["ns/a", "ns/b"]);
    expect(first.irPuts.map((p) => p.gateway)).toEqual(["ns/a", "ns/b"]);

    const second = e.apply(batch([route("r1", ["a"], "/v2")]));
    expect(backend.calls.at(-1)).toEqual(["ns/a"]);
    expect(second.irPuts.map((p) => p.gateway)).toEqual(["ns/a"]);
    expect(second.irPuts[0].ir).toMatchObject({ paths: ["/v2"] });
  });

  it("retranslates the Gateway a route leaves and the one it joins", () => {
    const backend = new FakeBackend();
    const e = new TranslationEngine(backend);
    e.apply(batch([gw("a")], [gw("b")], [route("r1", ["a"])]), true);
    const moved = e.apply(batch([route("r1", ["b"])]));
    expect(moved.translated).toEqual(["ns/a", "ns/b"]);
    expect(moved.statusPuts.find((s) => s.ref.kind === "HTTPRoute")?.status).toEqual({
      parents: [{ parentRef: { name: "b" }, accepted: true }],
    });
  });

  it("publishes nothing when a change leaves the output identical", () => {
    const e = new TranslationEngine(new FakeBackend());
    e.apply(batch([gw("a")], [route("r1", ["a"])]), true);
    const same = e.apply(batch([route("r1", ["a"])]));
    expect(same.irPuts).toEqual([]);
    expect(same.statusPuts).toEqual([]);
  });

  it("merges a route's parents from separate translations of its Gateways", () => {
    const e = new TranslationEngine(new FakeBackend());
    e.apply(batch([gw("a")], [gw("b")], [route("r1", ["a", "b"])]), true);
    const out = e.apply(batch([gw("b", "theirs")]));
    // Only b was translated; a's entry stays and b's goes.
    expect(out.translated).toEqual(["ns/b"]);
    expect(out.irDeletes).toEqual(["ns/b"]);
    expect(out.statusPuts.find((s) => s.ref.kind === "HTTPRoute")?.status).toEqual({
      parents: [{ parentRef: { name: "a" }, accepted: true }],
    });
  });

  it("deletes the IR and status of a Gateway that is gone, and the status of a deleted route", () => {
    const e = new TranslationEngine(new FakeBackend());
    e.apply(batch([gw("a")], [route("r1", ["a"])]), true);
    const out = e.apply(batch([gw("a"), true], [route("r1", ["a"]), true]));
    expect(out.irDeletes).toEqual(["ns/a"]);
    expect(out.statusDeletes.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(["Gateway/a", "HTTPRoute/r1"]);
  });

  it("withdraws what the buckets held for sources that vanished while it was down", () => {
    const e = new TranslationEngine(new FakeBackend());
    const ref = { group: "g", kind: "HTTPRoute", namespace: "ns", name: "old" };
    e.seed(new Map([["ns/old", "h1"]]), new Map([["HTTPRoute/ns/old", { ref, hash: "h2" }]]));
    const out = e.apply(batch([gw("a")]), true);
    expect(out.irDeletes).toEqual(["ns/old"]);
    expect(out.statusDeletes).toEqual([ref]);
    expect(out.irPuts.map((p) => p.gateway)).toEqual(["ns/a"]);
  });

  it("skips republishing what the buckets already hold after a restart", () => {
    const first = new TranslationEngine(new FakeBackend());
    const objects = batch([gw("a")], [route("r1", ["a"])]);
    const out = first.apply(objects, true);
    const restarted = new TranslationEngine(new FakeBackend());
    restarted.seed(
      new Map(out.irPuts.map((p) => [p.gateway, p.hash])),
      new Map(out.statusPuts.map((s) => [`${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`, { ref: s.ref, hash: hashOf(first, s) }])),
    );
    const again = restarted.apply(objects, true);
    expect(again.irPuts).toEqual([]);
    expect(again.irDeletes).toEqual([]);
  });
});

function hashOf(_e: TranslationEngine, s: ObjectStatus): string {
  return JSON.stringify(s);
}
