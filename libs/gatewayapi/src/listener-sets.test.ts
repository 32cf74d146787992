import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectManifests, formatManifestError } from "@gatehouse/kube";
import { resourceSetFrom, translate, type StatusUpdate } from "./index";

const CONTROLLER = "gatehouse.dev/gatewayclass-controller";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const cert = b64(readFileSync(new URL("./testdata/ec-cert.pem", import.meta.url), "utf8"));
const key = b64(readFileSync(new URL("./testdata/ec-key.pem", import.meta.url), "utf8"));

// The fixture keeps its certificate out of line: the test PEM files are inlined before parsing.
const text = readFileSync(new URL("./testdata/listener-sets.yaml", import.meta.url), "utf8").replaceAll("<cert>", cert).replaceAll("<key>", key);
const manifests = collectManifests([{ source: "listener-sets.yaml", text }]);
const input = manifests.objects;

type Cond = { type: string; status: string; reason: string };
type ListenerStatus = { name: string; attachedRoutes: number; conditions: Cond[] };

function statusOf(statuses: StatusUpdate[], kind: string, namespace: string, name: string): Record<string, unknown> {
  const s = statuses.find((u) => u.kind === kind && (u.namespace ?? "") === namespace && u.name === name);
  expect(s, `${kind} ${namespace}/${name} has a status`).toBeDefined();
  return s!.status;
}
const cond = (conds: unknown, type: string) => (conds as Cond[]).find((c) => c.type === type);
const brief = (c: Cond | undefined) => c && `${c.status}/${c.reason}`;
const listener = (status: Record<string, unknown>, name: string) => (status.listeners as ListenerStatus[]).find((l) => l.name === name)!;

describe("ListenerSet", () => {
  it("reads its fixture without errors", () => {
    expect(manifests.errors.map(formatManifestError)).toEqual([]);
  });

  const result = translate(resourceSetFrom(input), { controllerName: CONTROLLER });
  const { statuses } = result;

  it("attaches sets the Gateway's allowedListeners admit and counts them on the Gateway", () => {
    const gw = statusOf(statuses, "Gateway", "infra", "shared");
    expect(gw.attachedListenerSets).toBe(2);
    // The Gateway lists its own listeners only.
    expect((gw.listeners as ListenerStatus[]).map((l) => l.name)).toEqual(["http"]);
    expect(brief(cond(gw.conditions, "Programmed"))).toBe("True/Programmed");
    const a = statusOf(statuses, "ListenerSet", "team-a", "a");
    expect(brief(cond(a.conditions, "Accepted"))).toBe("True/ListenersNotValid");
    expect(brief(cond(a.conditions, "Programmed"))).toBe("True/Programmed");
  });

  it("refuses sets from namespaces the selector does not match, and every set of a Gateway without allowedListeners", () => {
    const c = statusOf(statuses, "ListenerSet", "team-b", "c");
    expect(brief(cond(c.conditions, "Accepted"))).toBe("False/NotAllowed");
    expect(brief(cond(c.conditions, "Programmed"))).toBe("False/NotAllowed");
    const f = statusOf(statuses, "ListenerSet", "team-a", "f");
    expect(brief(cond(f.conditions, "Accepted"))).toBe("False/NotAllowed");
    expect(statusOf(statuses, "Gateway", "infra", "closed").attachedListenerSets).toBe(0);
  });

  it("gives precedence to the Gateway's listeners, then to older sets", () => {
    const a = statusOf(statuses, "ListenerSet", "team-a", "a");
    // a/http-too duplicates the Gateway's own http listener: only a's is Conflicted.
    expect(brief(cond(listener(a, "http-too").conditions, "Conflicted"))).toBe("True/HostnameConflict");
    // Losing to a listener of higher precedence: the port is taken (GEP-1713's conditions).
    expect(brief(cond(listener(a, "http-too").conditions, "Accepted"))).toBe("False/PortUnavailable");
    expect(brief(cond(listener(a, "http-too").conditions, "Programmed"))).toBe("False/PortUnavailable");
    const gw = statusOf(statuses, "Gateway", "infra", "shared");
    expect(cond(listener(gw, "http").conditions, "Conflicted")).toBeUndefined();
    // b (newer) claims a's https port and hostname: b loses it, and with no valid listener is not accepted.
    const b = statusOf(statuses, "ListenerSet", "team-a", "b");
    expect(brief(cond(listener(b, "https").conditions, "Conflicted"))).toBe("True/HostnameConflict");
    expect(brief(cond(b.conditions, "Accepted"))).toBe("False/ListenersNotValid");
    expect(brief(cond(listener(a, "https").conditions, "Programmed"))).toBe("True/Programmed");
  });

  it("needs a ReferenceGrant from ListenerSet for a certificate in another namespace", () => {
    const d = statusOf(statuses, "ListenerSet", "team-a", "d");
    expect(brief(cond(listener(d, "https-wild").conditions, "ResolvedRefs"))).toBe("True/ResolvedRefs");
    const e = statusOf(statuses, "ListenerSet", "team-a", "e");
    expect(brief(cond(listener(e, "https-other").conditions, "ResolvedRefs"))).toBe("False/RefNotPermitted");
    expect(brief(cond(e.conditions, "Accepted"))).toBe("False/ListenersNotValid");
  });

  it("attaches routes through a parentRef of kind ListenerSet, with status for the ref used", () => {
    const a = statusOf(statuses, "ListenerSet", "team-a", "a");
    expect(listener(a, "https").attachedRoutes).toBe(1);
    const route = statusOf(statuses, "HTTPRoute", "team-a", "web");
    const parents = route.parents as { parentRef: Record<string, unknown>; conditions: Cond[] }[];
    expect(parents.map((p) => p.parentRef)).toEqual([
      { group: "gateway.networking.k8s.io", kind: "ListenerSet", name: "a", sectionName: "https" },
      { group: "gateway.networking.k8s.io", kind: "ListenerSet", name: "b" },
    ]);
    expect(brief(cond(parents[0].conditions, "Accepted"))).toBe("True/Accepted");
    expect(brief(cond(parents[1].conditions, "Accepted"))).toBe("False/NoMatchingParent");
    // A Gateway parentRef never reaches a set's listeners.
    expect(listener(statusOf(statuses, "Gateway", "infra", "shared"), "http").attachedRoutes).toBe(0);
  });

  it("merges the attached sets' listeners into the Gateway's Envoy configuration", () => {
    const ir = result.irs.find((i) => i.gateway.name === "shared")!;
    const chains = ir.listeners.flatMap((l) => l.filterChains.map((c) => ({ port: l.port, name: c.name, serverNames: c.serverNames })));
    expect(chains).toEqual([
      { port: 80, name: "infra/shared/http-80", serverNames: [] },
      { port: 443, name: "infra/shared/listenerset/team-a/a/https", serverNames: ["a.example.com"] },
      { port: 8443, name: "infra/shared/listenerset/team-a/d/https-wild", serverNames: ["*.example.com"] },
    ]);
    expect(ir.secrets.map((s) => s.name)).toEqual(["infra/wild-cert", "team-a/a-cert"]);
  });
});
