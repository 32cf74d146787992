// Every PGV rule kind the validator implements, on the test message in
// testdata/rule-kinds.proto (loaded with the same include paths as Envoy's protos).
import { existsSync } from "node:fs";
import path from "node:path";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { ENVOY_PROTO_INCLUDE_DIRS } from "../proto/envoy-protos";
import { fromJSONType } from "../proto/proto-json";
import { validateMessage } from "./validator";
import { unsupportedRules } from "./unsupported-rules";

const TESTDATA = path.join(import.meta.dirname, "testdata");
const ROUTER = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";

function loadTestProtos(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (path.isAbsolute(target)) return target;
    for (const dir of ENVOY_PROTO_INCLUDE_DIRS) {
      const candidate = path.join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return target;
  };
  root.loadSync(["google/protobuf/descriptor.proto", path.join(TESTDATA, "rule-kinds.proto")], { keepCase: true });
  root.resolveAll();
  return root;
}

const root = loadTestProtos();
const KINDS = root.lookupType("gatehouse.test.Kinds");

const VALID = {
  name: "abc",
  bytes_bound: "ab",
  prefixed: "/x",
  header_name: "x-h",
  header_value: "v",
  not_admin: "x",
  port: 80,
  outside: 11,
  big: 5,
  exact: 3,
  ratio: 0.75,
  must_be_true: true,
  raw: "AQI=",
  color: "GREEN",
  timeout: "1s",
  not_before: "2000-01-01T00:00:00Z",
  config: { "@type": ROUTER },
  tags: ["a"],
  labels: { k: { id: "x" } },
  required_inner: { id: "x" },
  skipped: { id: "" },
  inners: [{ id: "1" }],
  a: "abc",
};

function issuesOf(patch: Record<string, unknown>): Array<{ path: string; rule: string }> {
  const message = fromJSONType(KINDS, { ...VALID, ...patch });
  return validateMessage(KINDS, message).map(({ path, rule }) => ({ path, rule }));
}

describe("PGV rule kinds", () => {
  it("passes a message that keeps every rule", () => {
    expect(issuesOf({})).toEqual([]);
  });

  it.each([
    ["string.min_len", { name: "a" }, "name"],
    ["string.max_len", { name: "abcdef" }, "name"],
    ["string.max_bytes (UTF-8 bytes, not characters)", { bytes_bound: "日本" }, "bytes_bound"],
    ["string.min_bytes", { bytes_bound: "a" }, "bytes_bound"],
    ["string.prefix", { prefixed: "x" }, "prefixed"],
    ["string.pattern", { prefixed: "/a?b" }, "prefixed"],
    ["string.well_known_regex", { header_name: "bad header" }, "header_name"],
    ["string.well_known_regex", { header_value: "a\nb" }, "header_value"],
    ["string.in", { scheme: "ftp" }, "scheme"],
    ["string.not_in", { not_admin: "admin" }, "not_admin"],
    ["uint32.gte", { port: 0 }, "port"],
    ["uint32.lte", { port: 70000 }, "port"],
    ["int32.gt", { outside: 5 }, "outside"],
    ["int64.gt", { big: 0 }, "big"],
    ["int64.lt", { big: "1000000000000001" }, "big"],
    ["uint64.in", { exact: 4 }, "exact"],
    ["double.gte", { ratio: 0.25 }, "ratio"],
    ["bool.const", { must_be_true: false }, "must_be_true"],
    ["bytes.min_len", { raw: "" }, "raw"],
    ["bytes.max_len", { raw: "AQIDBA==" }, "raw"],
    ["enum.defined_only", { color: 7 }, "color"],
    ["enum.not_in", { color: "BLUE" }, "color"],
    ["duration.required", { timeout: null }, "timeout"],
    ["duration.gt", { timeout: "0s" }, "timeout"],
    ["duration.lt", { timeout: "60s" }, "timeout"],
    ["timestamp.gte", { not_before: "1970-01-01T00:00:01Z" }, "not_before"],
    ["any.required", { config: null }, "config"],
    ["any.in", { config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors" } }, "config"],
    ["repeated.min_items", { tags: [] }, "tags"],
    ["repeated.max_items", { tags: ["a", "b", "c", "d"] }, "tags"],
    ["repeated.unique", { tags: ["a", "a"] }, "tags"],
    ["string.min_len", { tags: ["a", ""] }, "tags[1]"],
    ["map.min_pairs", { labels: {} }, "labels"],
    ["string.max_len", { labels: { long: { id: "x" } } }, 'labels["long"]'],
    ["string.min_len", { labels: { k: { id: "" } } }, 'labels["k"].id'],
    ["message.required", { required_inner: null }, "required_inner"],
    ["uint32.gte", { wrapped: 5 }, "wrapped"],
    ["string.min_len", { inners: [{ id: "1" }, { id: "" }] }, "inners[1].id"],
    ["oneof.required", { a: null }, "choice"],
    ["string.min_len", { a: "ab" }, "a"],
    ["string.min_len", { a: null, b: { id: "" } }, "b.id"],
  ])("reports %s", (rule, patch, at) => {
    expect(issuesOf(patch)).toEqual([{ path: at, rule: rule.split(" ")[0] }]);
  });

  it("keeps PGV's header name regex exactly, comma included (its `+-.` is a range)", () => {
    expect(issuesOf({ header_name: "x,y" })).toEqual([]);
    expect(issuesOf({ header_name: "x/y" })).toEqual([{ path: "header_name", rule: "string.well_known_regex" }]);
  });

  it("counts characters as code points and bytes as UTF-8", () => {
    expect(issuesOf({ name: "😀😀😀" })).toEqual([]); // 3 code points, 6 UTF-16 units
    expect(issuesOf({ name: "😀" })).toEqual([{ path: "name", rule: "string.min_len" }]);
  });

  it("applies ignore_empty, non-strict header rules, wrapper presence and skip", () => {
    expect(
      issuesOf({ prefixed: "", scheme: "", header_value: "a\tb\u0001", wrapped: null, skipped: { id: "" }, header_name: ":authority" }),
    ).toEqual([]);
  });

  it("reports rules it does not know instead of dropping them", () => {
    const unknown = root.lookupType("gatehouse.test.Unknown");
    validateMessage(unknown, fromJSONType(unknown, { future: "x", mismatched: 1 }));
    const rules = unsupportedRules().filter((r) => r.fields.some((f) => f.startsWith("gatehouse.test.")));
    expect(rules.map((r) => [r.rule, r.fields])).toEqual([
      ["string", ["gatehouse.test.Unknown.mismatched"]],
      ["string.not_yet_invented", ["gatehouse.test.Unknown.future"]],
    ]);
  });

  it("understands every rule validate.proto defines, for every kind", () => {
    // One field per rule kind, carrying every rule of that kind with a sample value.
    const carrier: Record<string, { type: string; repeated?: boolean; map?: boolean }> = {
      string: { type: "string" }, bytes: { type: "bytes" }, bool: { type: "bool" }, enum: { type: "gatehouse.test.Kinds.Color" },
      message: { type: "gatehouse.test.Inner" }, any: { type: "google.protobuf.Any" },
      duration: { type: "google.protobuf.Duration" }, timestamp: { type: "google.protobuf.Timestamp" },
      repeated: { type: "string", repeated: true }, map: { type: "string", map: true },
    };
    const kinds = root.lookupType("validate.FieldRules").fieldsArray.map((f) => f.name);
    const all = new protobuf.Type("AllRules");
    const rulesOf = new Map<string, Record<string, unknown>>();
    kinds.forEach((kind, i) => {
      const c = carrier[kind] ?? { type: kind }; // numeric kinds share their rule kind's name
      const name = `f_${kind}`;
      all.add(c.map ? new protobuf.MapField(name, i + 1, "string", c.type) : new protobuf.Field(name, i + 1, c.type, c.repeated ? "repeated" : undefined));
      const rulesType = root.lookupType("validate.FieldRules").fields[kind].resolvedType as protobuf.Type;
      rulesOf.set(name, { [kind]: Object.fromEntries(rulesType.fieldsArray.map((f) => [f.name, sampleFor(f)])) });
    });
    (root.lookup("gatehouse.test") as protobuf.Namespace).add(all);
    root.resolveAll();
    for (const [name, rules] of rulesOf) all.fields[name].parsedOptions = [{ "(validate.rules)": rules }];
    expect(kinds.length).toBeGreaterThanOrEqual(22);
    validateMessage(all, all.create({}));
    expect(unsupportedRules().filter((r) => r.fields.some((f) => f.startsWith("gatehouse.test.AllRules")))).toEqual([]);
  });
});

function sampleFor(f: protobuf.Field): unknown {
  f.resolve();
  const one = (() => {
    if (f.resolvedType instanceof protobuf.Enum) return Object.keys(f.resolvedType.values)[1];
    if (f.resolvedType instanceof protobuf.Type) return f.resolvedType.name === "FieldRules" ? {} : { seconds: 1 };
    if (f.type === "bool") return true;
    if (f.type === "string" || f.type === "bytes") return "x";
    return 1;
  })();
  return f.repeated ? [one] : one;
}
