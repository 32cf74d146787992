// `gatehouse explain -f` on manifests, checked against what the Gateway API spec says the
// routes mean. The Envoy configuration comes through the same translation as `gatehouse
// translate`; the matching rules themselves are unit-tested in libs/xds/src/explain.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRun } from "../testdata/capture-run";
import { issueCertificate, makeCa } from "@gatehouse/testing";
import { run } from "./explain";

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-explain-"));
  file = path.join(dir, "explain.yaml");
  const leaf = issueCertificate(makeCa("explain test CA"), "*.example.com", "server", ["*.example.com"]);
  const yaml = readFileSync(new URL("./testdata/explain.yaml", import.meta.url), "utf8")
    .replace("tls.crt: CERT", `tls.crt: ${leaf.cert.toString("base64")}`)
    .replace("tls.key: KEY", `tls.key: ${leaf.key.toString("base64")}`);
  writeFileSync(file, yaml);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Explained {
  origin?: { kind: string; name: string; rule: number; match: number };
  outcome: { kind: string; status?: number; location?: string; reason: string; backends?: { cluster: string; endpoints: unknown[] }[] };
  steps: { rule: string; chosen?: string; notes: string[] }[];
}

async function explain(...args: string[]): Promise<{ code: number; out: Explained; err: string }> {
  const r = await captureRun(run, ["-f", file, "-o", "json", ...args]);
  return { code: r.code, out: r.out ? (JSON.parse(r.out) as Explained) : ({} as Explained), err: r.err };
}

describe("gatehouse explain on manifests (Gateway API route semantics)", () => {
  it("an Exact path match beats a PathPrefix match listed before it", async () => {
    const { code, out } = await explain("http://shop.example.com:8080/cart/checkout");
    expect(code).toBe(0);
    expect(out.origin).toMatchObject({ kind: "HTTPRoute", name: "shop", rule: 1, match: 0 });
    expect(out.outcome.backends?.map((b) => b.cluster)).toEqual(["default/checkout/80/http1"]);
  });

  it("the longest PathPrefix wins", async () => {
    expect((await explain("http://shop.example.com:8080/cart/items/7")).out.origin).toMatchObject({ rule: 2 });
    expect((await explain("http://shop.example.com:8080/cart/other")).out.origin).toMatchObject({ rule: 0 });
  });

  it("method and header matches select their rule; a Service with no ready endpoint gives 503", async () => {
    const { out } = await explain("http://shop.example.com:8080/admin", "--method", "POST", "-H", "x-role=admin");
    expect(out.origin).toMatchObject({ rule: 3 });
    expect(out.outcome).toMatchObject({ kind: "response", status: 503 });
  });

  it("a hostname no route serves gets 404; a wildcard hostname serves its subdomains", async () => {
    expect((await explain("http://other.org:8080/")).out.outcome).toMatchObject({ kind: "response", status: 404 });
    const wild = await explain("http://news.example.com:8080/anything");
    expect(wild.out.origin).toMatchObject({ name: "wildcard", rule: 0 });
    expect(wild.out.steps.find((s) => s.rule === "virtual host")?.notes).toContain('host "news.example.com" matched domain "*.example.com" (suffix wildcard, the longest that matches)');
  });

  it("a RequestRedirect answers with its status and Location", async () => {
    expect((await explain("http://shop.example.com:8080/old/page")).out.outcome).toEqual({
      kind: "response",
      status: 301,
      location: "https://shop.example.com/old/page",
      reason: "the route redirects",
    });
  });

  it("a backendRef to a missing Service gives 500", async () => {
    expect((await explain("http://shop.example.com:8080/gone")).out.outcome).toMatchObject({ kind: "response", status: 500 });
  });

  it("HTTPS: the SNI picks the listener's filter chain; an SNI outside its hostname closes the connection", async () => {
    const ok = await explain("https://shop.example.com:8443/cart");
    expect(ok.out.steps.find((s) => s.rule === "filter chain")?.notes[0]).toMatch(/server_names \*\.example\.com \(SNI shop\.example\.com\), transport_protocol tls/);
    expect(ok.out.outcome.kind).toBe("forwarded");
    const other = await explain("https://shop.example.com:8443/cart", "--sni", "other.org");
    expect(other.out.outcome).toEqual({ kind: "connection-closed", reason: "no filter chain of the listener matches the connection" });
  });

  it("says what is wrong with the command line, naming the flag", async () => {
    expect((await explain("http://x", "--port", "99999")).err).toBe("gatehouse explain: --port must be a port number (1-65535), got \"99999\"\n");
    expect((await explain("http://x", "--gateway", "default/nope")).err).toBe("gatehouse explain: no Gateway default/nope in " + file + " (there are default/gw)\n");
  });
});
