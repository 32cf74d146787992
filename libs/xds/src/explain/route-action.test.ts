import { describe, expect, it } from "vitest";
import type { JsonObject } from "../resources/json";
import { explainRequest } from "./explain";
import { httpConfig, request } from "./testdata/configs";

const one = (route: JsonObject, path = "/") =>
  explainRequest(httpConfig([{ name: "app", domains: ["*"], routes: [{ name: "r", ...route }] }]), request({ path }));

describe("Envoy route actions", () => {
  it("prefix_rewrite replaces the matched prefix (Gateway API ReplacePrefixMatch)", () => {
    const e = one({ match: { path_separated_prefix: "/old" }, route: { cluster: "default/web/80", prefix_rewrite: "/new" } }, "/old/page?x=1");
    expect(e.outcome).toMatchObject({ kind: "forwarded", upstreamPath: "/new/page?x=1" });
    expect(e.steps.find((s) => s.rule === "rewrite")?.notes).toEqual(["path /old/page?x=1 becomes /new/page?x=1"]);
  });

  it("regex_rewrite replaces the path and keeps the query (Gateway API ReplaceFullPath), host_rewrite_literal the host", () => {
    const e = one({ match: { prefix: "/" }, route: { cluster: "default/web/80", regex_rewrite: { pattern: { regex: "^/.*$" }, substitution: "/index.html" }, host_rewrite_literal: "internal" } }, "/a/b?q=1");
    expect(e.outcome).toMatchObject({ kind: "forwarded", upstreamPath: "/index.html?q=1", upstreamHost: "internal" });
  });

  it("redirects build the Location from scheme, host, port and path", () => {
    const e = one({ match: { prefix: "/" }, redirect: { scheme_redirect: "https", host_redirect: "secure.example.com", response_code: "FOUND" } }, "/x?y=1");
    expect(e.outcome).toEqual({ kind: "response", status: 302, location: "https://secure.example.com/x?y=1", reason: "the route redirects" });
    const p = one({ match: { path_separated_prefix: "/a" }, redirect: { prefix_rewrite: "/b", port_redirect: 8443 } }, "/a/c");
    expect(p.outcome).toMatchObject({ status: 301, location: "http://app.example.com:8443/b/c" });
  });

  it("header mutations are listed with the level that sets them", () => {
    const e = one({
      match: { prefix: "/" },
      route: { cluster: "default/web/80" },
      request_headers_to_add: [{ header: { key: "x-env", value: "prod" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" }],
      response_headers_to_remove: ["server"],
    });
    expect(e.steps.find((s) => s.rule === "request headers")?.notes).toEqual(["set x-env: prod (route)"]);
    expect(e.steps.find((s) => s.rule === "response headers")?.notes).toEqual(["remove server (route)"]);
  });

  it("normalizes the path before routing and redirects paths with escaped slashes", () => {
    const e = one({ match: { path: "/b" }, route: { cluster: "default/web/80" } }, "/a/..//b");
    expect(e.steps.find((s) => s.rule === "path normalization")?.notes).toEqual(["normalize_path: /a/..//b becomes //b", "merge_slashes: //b becomes /b"]);
    expect(e.outcome.kind).toBe("forwarded");
    expect(one({ match: { prefix: "/" }, route: { cluster: "default/web/80" } }, "/a%2Fb").outcome).toMatchObject({ status: 307, location: "/a/b" });
  });
});
