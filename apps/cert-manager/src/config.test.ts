import { describe, expect, it } from "vitest";
import { certManagerConfig, lifetimePolicyOf } from "./config";

const parse = (...argv: string[]) => lifetimePolicyOf(certManagerConfig.parse({ argv, env: {} }));

describe("cert-manager lifetimes", () => {
  it("takes Go-style durations: a 30-day CA and 48-hour leaves", () => {
    expect(parse("--ca-validity", "720h", "--cert-validity", "48h", "--renew-before", "16h")).toEqual({
      ok: true,
      policy: { caValidityMs: 720 * 3_600_000, certValidityMs: 48 * 3_600_000, renewBeforeMs: 16 * 3_600_000, renewFraction: undefined },
    });
  });

  it("refuses a leaf longer than its CA and a lifetime shorter than the renew margin, saying why", () => {
    expect(parse("--ca-validity", "48h", "--cert-validity", "720h")).toEqual({ ok: false, errors: [expect.stringContaining("a leaf never outlives its CA")] });
    expect(parse("--cert-validity", "1h", "--renew-before", "2h")).toEqual({ ok: false, errors: [expect.stringContaining("renewed as soon as it is issued")] });
    expect(() => certManagerConfig.parse({ argv: ["--renew-fraction", "2"], env: {} })).toThrow(/renew-fraction.*above the maximum 1/);
    expect(() => certManagerConfig.parse({ argv: ["--cert-validity", "two days"], env: {} })).toThrow(/cert-validity.*not a duration/);
  });
});

describe("cert-manager secret store", () => {
  it("keeps folders by default and takes Kubernetes Secrets with their namespaces", () => {
    expect(certManagerConfig.parse({ argv: [], env: {} })).toMatchObject({ secretStore: "file", caSecretName: "gatehouse-ca", envoySecretName: "gatehouse-envoy-client-cert", envoySecretNamespaces: [] });
    expect(certManagerConfig.parse({ argv: ["--secret-store", "kubernetes", "--envoy-secret-namespaces", "gatehouse,team-a"], env: {} })).toMatchObject({
      secretStore: "kubernetes",
      envoySecretNamespaces: ["gatehouse", "team-a"],
    });
    expect(() => certManagerConfig.parse({ argv: ["--secret-store", "vault"], env: {} })).toThrow(/secret-store/);
  });
});
