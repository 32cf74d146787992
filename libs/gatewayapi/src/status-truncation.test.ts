import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectManifests, formatManifestError } from "@gatehouse/kube";
import { resourceSetFrom, translate, type StatusUpdate } from "./index";
import { boundStatusLists, policyAncestorRank, routeParentRank, truncateStatusEntries } from "./status-truncation";
import type { Condition } from "./kube-types";

const CONTROLLER = "gatehouse.dev/gatewayclass-controller";
const ca = readFileSync(new URL("./testdata/ec-cert.pem", import.meta.url), "utf8");
// The CA goes in as a YAML block scalar, indented under `ca.crt:`.
const text = readFileSync(new URL("./testdata/status-truncation.yaml", import.meta.url), "utf8").replace(
  "ca.crt: <ca>",
  `ca.crt: |\n${ca.trimEnd().replace(/^/gm, "    ")}`,
);
const manifests = collectManifests([{ source: "status-truncation.yaml", text }]);
const result = translate(resourceSetFrom(manifests.objects), { controllerName: CONTROLLER });

type Entry = { ancestorRef?: { name: string }; parentRef?: { name: string; sectionName?: string }; controllerName: string; conditions: Condition[] };

function entries(kind: string, name: string, field: "parents" | "ancestors"): Entry[] {
  const s = result.statuses.find((u: StatusUpdate) => u.kind === kind && u.name === name);
  expect(s, `${kind} ${name} has a status`).toBeDefined();
  return s!.status[field] as Entry[];
}
const types = (e: Entry) => e.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`);
const gateways = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `gw-${String(from + i).padStart(2, "0")}`);

describe("status lists longer than the CRD allows", () => {
  it("reads its fixture without errors", () => {
    expect(manifests.errors.map(formatManifestError)).toEqual([]);
  });

  it("keeps 16 policy ancestors, the last one marked Aggregated and naming the others", () => {
    const ancestors = entries("BackendTLSPolicy", "secure", "ancestors");
    expect(ancestors.map((a) => a.ancestorRef!.name)).toEqual(gateways(1, 16));
    for (const a of ancestors.slice(0, 15)) expect(types(a)).toEqual(["ResolvedRefs=True/ResolvedRefs", "Accepted=True/Accepted"]);
    expect(types(ancestors[15]!)).toEqual(["ResolvedRefs=True/ResolvedRefs", "Accepted=True/Accepted", "Aggregated=True/Aggregated"]);
    const aggregated = ancestors[15]!.conditions.find((c) => c.type === "Aggregated")!;
    expect(aggregated.message).toBe("The number of policy ancestors exceeds 16; 2 more are aggregated here: infra/gw-17, infra/gw-18");
    expect(aggregated.observedGeneration).toBe(3);
  });

  it("bounds the ancestors of a policy that is not accepted the same way", () => {
    const ancestors = entries("BackendTLSPolicy", "missing-ca", "ancestors");
    expect(ancestors).toHaveLength(16);
    expect(types(ancestors[15]!)).toEqual([
      "ResolvedRefs=False/InvalidCACertificateRef",
      "Accepted=False/NoValidCACertificate",
      "Aggregated=True/Aggregated",
    ]);
  });

  it("fits route parents beside another controller's, rejections first, then by namespace and name", () => {
    const parents = entries("HTTPRoute", "crowded", "parents");
    expect(parents).toHaveLength(32);
    const ours = parents.filter((p) => p.controllerName === CONTROLLER);
    const theirs = parents.filter((p) => p.controllerName !== CONTROLLER);
    // Another controller's entries are kept untouched.
    expect(theirs.map((p) => p.parentRef!.name)).toEqual(Array.from({ length: 12 }, (_, i) => `other-${String(i + 1).padStart(2, "0")}`));
    expect(ours.map((p) => `${p.parentRef!.name}${p.parentRef!.sectionName ? `/${p.parentRef!.sectionName}` : ""}`)).toEqual([
      ...gateways(1, 5).map((g) => `${g}/missing`),
      ...gateways(1, 5).map((g) => `${g}/http`),
      ...gateways(6, 15),
    ]);
    for (const p of ours.slice(0, 5)) expect(types(p)[0]).toBe("Accepted=False/NoMatchingParent");
    const last = ours[19]!;
    expect(types(last)).toEqual(["Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs", "Aggregated=True/Aggregated"]);
    expect(last.conditions.at(-1)).toMatchObject({
      message: "The number of route parents exceeds 32; 3 more are aggregated here: infra/gw-16, infra/gw-17, infra/gw-18",
      observedGeneration: 7,
    });
    for (const p of ours.slice(0, 19)) expect(p.conditions.some((c) => c.type === "Aggregated")).toBe(false);
  });

  it("leaves lists that fit as they are", () => {
    const parents = entries("HTTPRoute", "everywhere", "parents");
    expect(parents.map((p) => p.parentRef!.name)).toEqual(gateways(1, 18));
    expect(parents.every((p) => !p.conditions.some((c) => c.type === "Aggregated"))).toBe(true);
  });
});

describe("truncateStatusEntries", () => {
  const cond = (type: string, status: "True" | "False", reason = type): Condition => ({ type, status, reason, message: "" });
  const entry = (name: string, ...conditions: Condition[]) => ({ name, conditions });
  const opts = (foreign: number, max: number, rank = routeParentRank) => ({
    foreign,
    max,
    rank,
    compare: (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    name: (e: { name: string }) => e.name,
    what: "things",
  });

  it("ranks not accepted, then unresolved, then the rest", () => {
    const input = [
      entry("a", cond("Accepted", "True")),
      entry("b", cond("Accepted", "True"), cond("ResolvedRefs", "False")),
      entry("c", cond("Accepted", "False")),
      entry("d", cond("Accepted", "True")),
    ];
    const kept = truncateStatusEntries(input, opts(0, 3));
    expect(kept.map((e) => e.name)).toEqual(["c", "b", "a"]);
    expect(kept[2]!.conditions.at(-1)).toMatchObject({ type: "Aggregated", status: "True", reason: "Aggregated", message: expect.stringContaining(": d") });
    // The input is not modified.
    expect(input[0]!.conditions).toHaveLength(1);
  });

  it("ranks policy ancestors by acceptance only", () => {
    const kept = truncateStatusEntries([entry("a", cond("Accepted", "True")), entry("b", cond("Accepted", "False"))], opts(0, 1, policyAncestorRank));
    expect(kept.map((e) => e.name)).toEqual(["b"]);
  });

  it("keeps none of ours when other controllers fill the list, and all when they fit", () => {
    const input = [entry("a", cond("Accepted", "True")), entry("b", cond("Accepted", "True"))];
    expect(truncateStatusEntries(input, opts(4, 4))).toEqual([]);
    expect(truncateStatusEntries(input, opts(2, 4))).toEqual(input);
  });

  it("bounds the message when thousands are left out", () => {
    const input = Array.from({ length: 5000 }, (_, i) => entry(`name-${String(i).padStart(5, "0")}`, cond("Accepted", "True")));
    const kept = truncateStatusEntries(input, opts(0, 16));
    const message = kept[15]!.conditions.at(-1)!.message;
    expect(message.length).toBeLessThan(4200);
    expect(message).toMatch(/^The number of things exceeds 16; 4984 more are aggregated here: name-00016, name-00017, .* and \d+ others$/);
  });
});

describe("boundStatusLists", () => {
  const accepted: Condition = { type: "Accepted", status: "True", reason: "Accepted", message: "" };
  const parent = (name: string, controllerName = CONTROLLER) => ({ parentRef: { name }, controllerName, conditions: [accepted] });
  const opts = { controllerName: CONTROLLER, namespace: "apps", generation: 2 };

  it("bounds parents merged from several translations as a whole, and bounding again changes nothing", () => {
    // Two translations of 20 Gateways each, merged by the translator service: 40 entries.
    const merged = { parents: Array.from({ length: 40 }, (_, i) => parent(`gw-${String(i).padStart(2, "0")}`)) };
    const once = boundStatusLists(merged, opts);
    const parents = once.parents as Entry[];
    expect(parents).toHaveLength(32);
    expect(parents[31]!.conditions.map((c) => c.type)).toEqual(["Accepted", "Aggregated"]);
    expect(boundStatusLists(once, opts)).toEqual(once);
  });

  it("drops a stale Aggregated marker when everything fits again", () => {
    const stale = { parents: [{ ...parent("gw-a"), conditions: [accepted, { type: "Aggregated", status: "True" as const, reason: "Aggregated", message: "old" }] }] };
    expect(boundStatusLists(stale, opts)).toEqual({ parents: [parent("gw-a")] });
  });

  it("makes room for the entries other controllers hold on the live object", () => {
    const status = { ancestors: Array.from({ length: 16 }, (_, i) => ({ ancestorRef: { name: `gw-${i}` }, controllerName: CONTROLLER, conditions: [accepted] })) };
    const bounded = boundStatusLists(status, { ...opts, foreign: 4 });
    expect(bounded.ancestors).toHaveLength(12);
    // Other controllers' entries in the status itself stay, after ours.
    const withTheirs = boundStatusLists({ parents: [parent("theirs", "example.com/other"), parent("ours")] }, opts);
    expect((withTheirs.parents as Entry[]).map((p) => p.parentRef!.name)).toEqual(["ours", "theirs"]);
  });

  it("leaves statuses without such lists alone", () => {
    const gateway = { conditions: [accepted] };
    expect(boundStatusLists(gateway, opts)).toBe(gateway);
  });
});
