import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KubeApiTestServer } from "@gatehouse/testing";
import type { ApiResourceRef } from "./api-resource";
import { KubeClient } from "./kube-client";
import { mergeStatus, sameStatus } from "./status-merge";
import { StatusWriter } from "./status-writer";

const ROUTES: ApiResourceRef = { group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute", plural: "httproutes", namespaced: true };
const OURS = "gatehouse.dev/gateway-controller";
const THEIRS = "example.com/other-controller";
const T0 = "2026-01-01T00:00:00Z";
const T1 = "2026-06-01T00:00:00Z";

let server: KubeApiTestServer;
let writer: StatusWriter;
let n = 0;
let name: string;

beforeAll(async () => {
  server = await KubeApiTestServer.start();
  server.registerResource({ ...ROUTES, statusSubresource: true, custom: true });
  writer = new StatusWriter({ client: new KubeClient(server.kubeConfig()), controllerName: OURS, now: () => new Date(T1) });
});
afterAll(() => server.stop());
beforeEach(() => {
  name = `route-${++n}`;
  server.create({ apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name, namespace: "default" }, spec: { parentRefs: [{ name: "gw" }] } });
  server.resetRequestCounts();
});

const parent = (controllerName: string, gw: string, status: string, ltt?: string) => ({
  parentRef: { name: gw },
  controllerName,
  conditions: [{ type: "Accepted", status, reason: status === "True" ? "Accepted" : "NotAllowedByListeners", observedGeneration: 1, ...(ltt ? { lastTransitionTime: ltt } : {}) }],
});
const statusPuts = () => server.countRequests({ method: "PUT", subresource: "status" });
const live = () => server.get("gateway.networking.k8s.io/v1", "HTTPRoute", "default", name)!;
const write = (parents: unknown[]) => writer.write({ resource: ROUTES, namespace: "default", name, status: { parents } });

describe("StatusWriter", () => {
  it("writes a changed status once and does not rewrite it when unchanged", async () => {
    expect(await write([parent(OURS, "gw", "True")])).toBe("written");
    expect(await write([parent(OURS, "gw", "True")])).toBe("unchanged");
    expect(await write([parent(OURS, "gw", "True", "2030-01-01T00:00:00Z")])).toBe("unchanged");
    expect(statusPuts()).toBe(1);
    expect(live().status).toEqual({ parents: [parent(OURS, "gw", "True", T1)] });
    expect(live().metadata.generation).toBe(1);
  });

  it("keeps lastTransitionTime while a condition's status stays, and moves it when the status changes", async () => {
    const obj = live();
    server.update({ ...obj, status: { parents: [parent(OURS, "gw", "True", T0)] } }, "status");
    const reasonOnly = parent(OURS, "gw", "True");
    reasonOnly.conditions[0].reason = "Accepted";
    reasonOnly.conditions[0].observedGeneration = 2;
    expect(await write([reasonOnly])).toBe("written");
    expect(live().status).toEqual({ parents: [{ ...reasonOnly, conditions: [{ ...reasonOnly.conditions[0], lastTransitionTime: T0 }] }] });
    expect(await write([parent(OURS, "gw", "False")])).toBe("written");
    expect((live().status as { parents: { conditions: { lastTransitionTime: string }[] }[] }).parents[0].conditions[0].lastTransitionTime).toBe(T1);
  });

  it("preserves parents[] entries of other controllers in place", async () => {
    const obj = live();
    server.update({ ...obj, status: { parents: [parent(THEIRS, "theirs", "True", T0), parent(OURS, "old-gw", "True", T0)] } }, "status");
    expect(await write([parent(OURS, "gw", "True")])).toBe("written");
    expect(live().status).toEqual({ parents: [parent(THEIRS, "theirs", "True", T0), parent(OURS, "gw", "True", T1)] });
    expect(await write([parent(OURS, "gw", "True")])).toBe("unchanged");
  });

  it("retries a 409 Conflict on the fresh object", async () => {
    server.conflictOnNextStatusWrite(2);
    expect(await write([parent(OURS, "gw", "True")])).toBe("written");
    expect(statusPuts()).toBe(3);
    expect(server.countRequests({ verb: "get" })).toBe(3);
    expect(live().status).toEqual({ parents: [parent(OURS, "gw", "True", T1)] });
  });

  it("gives up after the configured conflicts with the API error", async () => {
    const stubborn = new StatusWriter({ client: new KubeClient(server.kubeConfig()), controllerName: OURS, maxConflictRetries: 1 });
    server.conflictOnNextStatusWrite(5);
    await expect(stubborn.write({ resource: ROUTES, namespace: "default", name, status: { parents: [] } })).rejects.toThrow(/409 Conflict/);
    server.clearFailures();
  });

  it("tolerates an object that is gone", async () => {
    expect(await writer.write({ resource: ROUTES, namespace: "default", name: "no-such-route", status: { parents: [] } })).toBe("not-found");
  });
});

describe("mergeStatus", () => {
  it("keeps policy ancestors[] of other controllers and drops our entries that are no longer reported", () => {
    const anc = (controllerName: string, gw: string) => ({ ancestorRef: { name: gw }, controllerName, conditions: [{ type: "Accepted", status: "True", lastTransitionTime: T0 }] });
    const merged = mergeStatus({ ancestors: [anc(OURS, "a"), anc(THEIRS, "b"), anc(OURS, "c")] }, { ancestors: [anc(OURS, "c"), anc(OURS, "d")] }, OURS, T1);
    expect(merged).toEqual({ ancestors: [anc(THEIRS, "b"), anc(OURS, "c"), { ...anc(OURS, "d"), conditions: [{ type: "Accepted", status: "True", lastTransitionTime: T0 }] }] });
  });

  it("carries transition times for top-level and per-listener conditions (Gateway status)", () => {
    const live = { conditions: [{ type: "Programmed", status: "True", lastTransitionTime: T0 }], listeners: [{ name: "http", conditions: [{ type: "Accepted", status: "True", lastTransitionTime: T0 }] }] };
    const ours = { conditions: [{ type: "Programmed", status: "True" }], listeners: [{ name: "http", conditions: [{ type: "Accepted", status: "False" }] }] };
    expect(mergeStatus(live, ours, OURS, T1)).toEqual({
      conditions: [{ type: "Programmed", status: "True", lastTransitionTime: T0 }],
      listeners: [{ name: "http", conditions: [{ type: "Accepted", status: "False", lastTransitionTime: T1 }] }],
    });
    expect(sameStatus({ a: 1, b: { lastTransitionTime: "x" } }, { b: { lastTransitionTime: "y" }, a: 1 })).toBe(true);
  });
});
