import { describe, expect, it } from "vitest";
import type { JsonObject } from "../resources/json";
import { explainRequest } from "./explain";
import { routeMismatch } from "./route-match";
import { httpConfig, request } from "./testdata/configs";

const route = (name: string, match: JsonObject) => ({ name, match, route: { cluster: "default/web/80" } });
const chosen = (routes: JsonObject[], overrides: Parameters<typeof request>[0]) => {
  const e = explainRequest(httpConfig([{ name: "app", domains: ["app.example.com"], routes }]), request(overrides));
  return e.steps.find((s) => s.rule === "route")?.chosen;
};

describe("Envoy route matching", () => {
  it("takes the first route in order that matches (Gatehouse puts Exact before PathPrefix, so exact wins)", () => {
    const routes = [route("exact", { path: "/foo" }), route("prefix", { path_separated_prefix: "/foo" }), route("root", { prefix: "/" })];
    expect(chosen(routes, { path: "/foo" })).toBe("exact");
    expect(chosen(routes, { path: "/foo/bar" })).toBe("prefix");
    expect(chosen(routes, { path: "/other" })).toBe("root");
  });

  it("longest prefix wins when routes are ordered longest first", () => {
    const routes = [route("long", { path_separated_prefix: "/api/v2" }), route("short", { path_separated_prefix: "/api" })];
    expect(chosen(routes, { path: "/api/v2/users" })).toBe("long");
    expect(chosen(routes, { path: "/api/v1/users" })).toBe("short");
  });

  it("path_separated_prefix matches whole path elements only (Gateway API PathPrefix)", () => {
    expect(routeMismatch({ path_separated_prefix: "/api" }, request({ path: "/api" }))).toBeUndefined();
    expect(routeMismatch({ path_separated_prefix: "/api" }, request({ path: "/api/x?y=1" }))).toBeUndefined();
    expect(routeMismatch({ path_separated_prefix: "/api" }, request({ path: "/apix" }))).toBe("path /apix is not /api or below it");
  });

  it("an exact path ignores the query string; a plain prefix is compared with it", () => {
    expect(routeMismatch({ path: "/login" }, request({ path: "/login?next=/" }))).toBeUndefined();
    expect(routeMismatch({ prefix: "/login?next" }, request({ path: "/login?next=/" }))).toBeUndefined();
  });

  it("paths are case-sensitive unless case_sensitive is false", () => {
    expect(routeMismatch({ path: "/Foo" }, request({ path: "/foo" }))).toBe("path /foo is not exactly /Foo");
    expect(routeMismatch({ path: "/Foo", case_sensitive: false }, request({ path: "/foo" }))).toBeUndefined();
  });

  it("a path regex (RE2) must match the whole path", () => {
    expect(routeMismatch({ safe_regex: { regex: "/v[0-9]+/.*" } }, request({ path: "/v2/items" }))).toBeUndefined();
    expect(routeMismatch({ safe_regex: { regex: "/v[0-9]+" } }, request({ path: "/v2/items" }))).toMatch(/does not match regex/);
  });

  it("header matches: exact value, RE2 regex, and an absent header never matches", () => {
    const exact = { prefix: "/", headers: [{ name: "x-version", string_match: { exact: "2" } }] };
    expect(routeMismatch(exact, request({ headers: [["x-version", "2"]] }))).toBeUndefined();
    expect(routeMismatch(exact, request({ headers: [["x-version", "3"]] }))).toBe('header x-version "3", wanted exact "2"');
    expect(routeMismatch(exact, request())).toBe('header x-version is absent, wanted exact "2"');
    const regex = { prefix: "/", headers: [{ name: "x-user", string_match: { safe_regex: { regex: "admin-.*" } } }] };
    expect(routeMismatch(regex, request({ headers: [["x-user", "admin-7"]] }))).toBeUndefined();
  });

  it("a repeated header is matched on its values joined by commas", () => {
    const m = { prefix: "/", headers: [{ name: "x-tag", string_match: { exact: "a,b" } }] };
    expect(routeMismatch(m, request({ headers: [["x-tag", "a"], ["x-tag", "b"]] }))).toBeUndefined();
  });

  it("method matches the :method pseudo-header", () => {
    const routes = [route("post", { prefix: "/", headers: [{ name: ":method", string_match: { exact: "POST" } }] }), route("any", { prefix: "/" })];
    expect(chosen(routes, { method: "POST" })).toBe("post");
    expect(chosen(routes, { method: "GET" })).toBe("any");
  });

  it("query parameter matches read the first value of the parameter", () => {
    const m = { prefix: "/", query_parameters: [{ name: "debug", string_match: { exact: "1" } }] };
    expect(routeMismatch(m, request({ path: "/?debug=1&debug=2" }))).toBeUndefined();
    expect(routeMismatch(m, request({ path: "/?debug=2&debug=1" }))).toBe('query parameter debug "2", wanted exact "1"');
    expect(routeMismatch(m, request({ path: "/" }))).toBe('query parameter debug is absent, wanted exact "1"');
  });

  it("no route matching gives 404 and says why each route was skipped", () => {
    const e = explainRequest(httpConfig([{ name: "app", domains: ["*"], routes: [route("api", { path_separated_prefix: "/api" })] }]), request({ path: "/web" }));
    expect(e.outcome).toEqual({ kind: "response", status: 404, reason: "no route of virtual host app matches GET /web" });
    expect(e.steps.at(-1)!.notes).toContain("skipped api: path /web is not /api or below it");
  });
});
