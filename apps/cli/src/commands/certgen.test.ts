import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { certificateInfo, issuedBy } from "@gatehouse/pki";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { captureRun } from "../testdata/capture-run";
import { run } from "./certgen";

const capture = (argv: string[]) => captureRun(run, argv);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const HOUR = 3600_000;

describe("gatehouse certgen", () => {
  it("writes a 30-day CA and 48-hour leaves as PEM folders", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "certgen-"));
    dirs.push(dir);
    const before = Date.now();
    const r = await capture(["--out-dir", dir, "--ca-validity", "720h", "--cert-validity", "48h", "--server-dns", "xds.example", "--key-type", "rsa-2048"]);
    const after = Date.now();
    expect(r.code).toBe(0);
    const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
    const ca = certificateInfo(read("ca/ca.crt"));
    // X.509 times have whole seconds.
    expect(ca.notAfter).toBeGreaterThan(before + 720 * HOUR - 1_000);
    expect(ca.notAfter).toBeLessThanOrEqual(after + 720 * HOUR);
    for (const leaf of ["xds-server", "envoy-client"]) {
      const info = certificateInfo(read(`${leaf}/tls.crt`));
      expect(Math.round((info.notAfter - before) / HOUR)).toBe(48);
      expect(issuedBy(read(`${leaf}/tls.crt`), read("ca/ca.crt"))).toBe(true);
      expect(read(`${leaf}/ca.crt`)).toBe(read("ca/ca.crt"));
      expect(statSync(path.join(dir, leaf, "tls.key")).mode & 0o077).toBe(0);
    }
    const server = new X509Certificate(read("xds-server/tls.crt"));
    expect(server.checkHost("xds.example")).toBe("xds.example");
    expect(server.checkIP("::1")).toBe("::1");
    expect(server.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it("prints Kubernetes Secrets with -o yaml", async () => {
    const r = await capture(["-o", "yaml", "--namespace", "infra"]);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS());
    expect(docs.map((d) => [d.metadata.name, d.metadata.namespace, d.type, Object.keys(d.data).sort()])).toEqual([
      ["gatehouse-xds-ca", "infra", "Opaque", ["ca.crt", "ca.key"]],
      ["gatehouse-xds-server-tls", "infra", "kubernetes.io/tls", ["ca.crt", "tls.crt", "tls.key"]],
      ["gatehouse-envoy-client-tls", "infra", "kubernetes.io/tls", ["ca.crt", "tls.crt", "tls.key"]],
    ]);
    const pem = (i: number, k: string) => Buffer.from(docs[i].data[k], "base64").toString();
    expect(issuedBy(pem(2, "tls.crt"), pem(0, "ca.crt"))).toBe(true);
    expect(new X509Certificate(pem(2, "tls.crt")).keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
  });

  it("refuses lifetimes that cannot work and bad flags, saying why", async () => {
    expect(await capture(["-o", "yaml", "--ca-validity", "48h", "--cert-validity", "720h"])).toMatchObject({ code: 2, err: expect.stringContaining("a leaf never outlives its CA") });
    expect(await capture(["-o", "yaml", "--cert-validity", "soon"])).toMatchObject({ code: 2, err: expect.stringContaining("--cert-validity") });
    expect(await capture(["-o", "yaml", "--key-type", "dsa"])).toMatchObject({ code: 2, err: expect.stringContaining("--key-type") });
    expect(await capture([])).toMatchObject({ code: 2, err: expect.stringContaining("--out-dir") });
  });
});
