// applyXdsFailures: golden pairs under testdata/xds-failures (statuses + failures in,
// statuses out; regenerate with UPDATE_GOLDEN=1 and review the diff), plus the decisions
// that matter asserted directly, so a regenerated golden cannot hide a wrong condition.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { applyXdsFailures, type StatusUpdate, type XdsFailureRecord } from "./index";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata", "xds-failures");
const CONTROLLER = "gatehouse.dev/gateway-controller";

interface Fixture {
  ruleCounts: Record<string, number>;
  failures: Record<string, XdsFailureRecord[]>;
  statuses: StatusUpdate[];
}

function load(name: string): Fixture {
  return parse(readFileSync(path.join(dir, `${name}.in.yaml`), "utf8")) as Fixture;
}

function apply(f: Fixture): StatusUpdate[] {
  return applyXdsFailures(f.statuses, new Map(Object.entries(f.failures)), {
    controllerName: CONTROLLER,
    ruleCount: (kind, ns, name) => f.ruleCounts[`${kind}/${ns}/${name}`],
  });
}

type Entry = { conditions: { type: string; status: string; reason: string; message: string; observedGeneration?: number }[] };
const find = (out: StatusUpdate[], kind: string, name: string) => out.find((s) => s.kind === kind && s.name === name)!;
const parents = (s: StatusUpdate) => s.status.parents as Entry[];
const cond = (e: Entry, type: string) => e.conditions.find((c) => c.type === type);

describe("applyXdsFailures golden files", () => {
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith(".in.yaml"))
    .map((f) => f.slice(0, -".in.yaml".length))
    .sort();

  it("has fixtures", () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of cases) {
    it(`${name} matches ${name}.out.yaml`, () => {
      const actual = stringify(apply(load(name)), { lineWidth: 0 });
      const outFile = path.join(dir, `${name}.out.yaml`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(outFile, actual);
      expect(existsSync(outFile), `${outFile} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toEqual(readFileSync(outFile, "utf8"));
    });
  }
});

describe("applyXdsFailures decisions", () => {
  it("marks a partly cut route PartiallyInvalid and keeps it Accepted, only for that Gateway's entry", () => {
    const out = apply(load("routes"));
    const [own, other, foreign] = parents(find(out, "HTTPRoute", "partial"));
    expect(cond(own!, "Accepted")).toMatchObject({ status: "True", reason: "Accepted" });
    const partial = cond(own!, "PartiallyInvalid")!;
    expect(partial).toMatchObject({ status: "True", reason: "UnsupportedValue", observedGeneration: 4 });
    expect(partial.message).toMatch(/^Dropped Rule\(s\) \[1\]: /);
    expect(partial.message).toContain("rule 1 match 0");
    expect(partial.message).toContain("redirect.path_redirect must not contain NUL, CR or LF");
    expect(other!.conditions.map((c) => c.type)).toEqual(["Accepted"]);
    expect(cond(foreign!, "Accepted")!.message).toBe("theirs");
  });

  it("rejects a route whose every rule is cut, and one cut without a rule index", () => {
    const out = apply(load("routes"));
    const whole = parents(find(out, "HTTPRoute", "whole"))[0]!;
    expect(cond(whole, "Accepted")).toMatchObject({ status: "False", reason: "UnsupportedValue" });
    expect(cond(whole, "PartiallyInvalid")).toBeUndefined();
    expect(cond(whole, "Accepted")!.message).toContain("rule 1 match 1");
    expect(cond(parents(find(out, "TCPRoute", "tcp"))[0]!, "Accepted")).toMatchObject({ status: "False", reason: "UnsupportedValue" });
  });

  it("merges with rules translation already dropped", () => {
    const merged = parents(find(apply(load("routes")), "HTTPRoute", "merged"))[0]!;
    const partial = cond(merged, "PartiallyInvalid")!;
    expect(partial.message).toMatch(/^Dropped Rule\(s\) \[0 2\]: Rule 0: invalid path regular expression; Envoy would reject rule 2:/);
    expect(cond(merged, "Accepted")!.status).toBe("True");
  });

  it("leaves untouched routes and the input alone", () => {
    const fixture = load("routes");
    const before = structuredClone(fixture.statuses);
    const out = apply(fixture);
    expect(fixture.statuses).toEqual(before);
    expect(find(out, "HTTPRoute", "fine")).toBe(find(fixture.statuses, "HTTPRoute", "fine"));
  });

  it("sets Programmed=False on the failing listener, the Gateway and the policy's ancestor", () => {
    const out = apply(load("listeners-policies"));
    const gw = find(out, "Gateway", "gw");
    const listeners = gw.status.listeners as (Entry & { name: string })[];
    expect(cond(listeners[0]!, "Programmed")!.status).toBe("True");
    expect(cond(listeners[1]!, "Programmed")).toMatchObject({ status: "False", reason: "Invalid", observedGeneration: 2 });
    expect(cond(listeners[1]!, "Programmed")!.message).toContain("server_names[0]");
    expect(listeners[1]!.conditions.map((c) => c.type)).toEqual(["Programmed", "Accepted"]);
    const gwProgrammed = (gw.status.conditions as Entry["conditions"]).find((c) => c.type === "Programmed")!;
    expect(gwProgrammed).toMatchObject({ status: "False", reason: "Invalid" });
    expect(gwProgrammed.message).toContain("default/gw/secret");
    const [own, other] = find(out, "BackendTLSPolicy", "tls").status.ancestors as Entry[];
    expect(cond(own!, "Accepted")).toMatchObject({ status: "False", reason: "Invalid" });
    expect(cond(own!, "Accepted")!.message).toContain("sni must be at most 255 bytes");
    expect(cond(other!, "Accepted")!.status).toBe("True");
  });

  it("returns the statuses unchanged without failures", () => {
    const f = load("routes");
    const out = applyXdsFailures(f.statuses, new Map(), { controllerName: CONTROLLER, ruleCount: () => undefined });
    expect(out).toEqual(f.statuses);
  });
});
