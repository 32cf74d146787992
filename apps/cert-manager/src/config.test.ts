import { describe, expect, it } from "vitest";
import { caPropagationDelayMs, certManagerConfig, lifetimePolicyOf } from "./config";

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

describe("cert-manager CA propagation delay", () => {
  const config = (...argv: string[]) => certManagerConfig.parse({ argv, env: {} });

  it("defaults to the kubelet's Secret refresh with Kubernetes Secrets and to seconds with folders", () => {
    expect(caPropagationDelayMs(config("--secret-store", "kubernetes"))).toBe(120_000);
    expect(caPropagationDelayMs(config())).toBe(5_000);
    expect(caPropagationDelayMs(config("--ca-propagation-delay", "0s"))).toBe(0);
    expect(caPropagationDelayMs(config("--ca-propagation-delay", "90s", "--secret-store", "kubernetes"))).toBe(90_000);
  });

  it("refuses a delay the current CA might not outlive", () => {
    expect(lifetimePolicyOf(config("--secret-store", "kubernetes", "--ca-validity", "10m", "--cert-validity", "2m", "--renew-fraction", "0.5"))).toEqual({
      ok: false,
      errors: [expect.stringContaining("ca-propagation-delay must be shorter than cert-validity")],
    });
    expect(lifetimePolicyOf(config("--ca-validity", "10m", "--cert-validity", "2m")).ok).toBe(true);
  });

  it("refuses a CA too short for its rollovers to keep up, naming every flag involved", () => {
    const r = lifetimePolicyOf(config("--secret-store", "kubernetes", "--ca-validity", "7h", "--cert-validity", "6h", "--renew-before", "1h"));
    expect(r).toEqual({ ok: false, errors: [expect.stringContaining("ca-validity 7h is too short for cert-validity 6h, renew-before 1h and ca-propagation-delay 2m")] });
    expect(lifetimePolicyOf(config("--secret-store", "kubernetes", "--ca-validity", "8h", "--cert-validity", "6h", "--renew-before", "1h")).ok).toBe(true);
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
