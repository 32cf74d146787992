import { describe, expect, it } from "vitest";
import { ConfigError, defineConfig, parseDuration } from "./config";

const config = defineConfig({
  natsUrl: { type: "string", env: "NATS_URL", default: "nats://127.0.0.1:4222", description: "NATS servers" },
  healthPort: { type: "port", default: 8081, description: "health and metrics port" },
  logLevel: { type: "enum", values: ["debug", "info", "warn"], env: "LOG_LEVEL", default: "info", description: "log level" },
  debounce: { type: "duration", default: 100, description: "coalescing window" },
  replicas: { type: "int", min: 1, max: 5, default: 1, description: "stream replicas" },
  tls: { type: "boolean", default: false, description: "NATS over TLS" },
  watchDirs: { type: "list", default: ["deploy/examples"], description: "folders to watch" },
  credsFile: { type: "string", description: "NATS credentials file" },
  name: { type: "string", default: "gw", description: "a name", validate: (v) => (/^[a-z-]+$/.test(v) ? undefined : "must be lowercase letters and dashes") },
});

describe("defineConfig", () => {
  it("uses defaults, then environment variables, then flags", () => {
    const defaults = config.parse({ argv: [], env: {} });
    expect(defaults).toEqual({
      natsUrl: "nats://127.0.0.1:4222",
      healthPort: 8081,
      logLevel: "info",
      debounce: 100,
      replicas: 1,
      tls: false,
      watchDirs: ["deploy/examples"],
      credsFile: undefined,
      name: "gw",
    });
    const env = { NATS_URL: "nats://a:1,nats://b:2", GATEHOUSE_HEALTH_PORT: "9000", GATEHOUSE_TLS: "yes", GATEHOUSE_DEBOUNCE: "1m30s" };
    expect(config.parse({ argv: [], env })).toMatchObject({ natsUrl: "nats://a:1,nats://b:2", healthPort: 9000, tls: true, debounce: 90_000 });
    const flags = ["--health-port=9100", "--no-tls", "--watch-dirs", "a, b", "--log-level", "debug", "--creds-file=/x.creds"];
    expect(config.parse({ argv: flags, env })).toMatchObject({
      healthPort: 9100,
      tls: false,
      watchDirs: ["a", "b"],
      logLevel: "debug",
      credsFile: "/x.creds",
      natsUrl: "nats://a:1,nats://b:2",
    });
  });

  it.each([
    [["--health-port=70000"], {}, /invalid healthPort \(--health-port \/ GATEHOUSE_HEALTH_PORT\) from flag --health-port: "70000": not a port/],
    [[], { GATEHOUSE_HEALTH_PORT: "http" }, /invalid healthPort .* from environment variable GATEHOUSE_HEALTH_PORT: "http"/],
    [["--log-level=loud"], {}, /invalid logLevel .*not one of debug, info, warn/],
    [["--replicas=7"], {}, /invalid replicas .*above the maximum 5/],
    [["--replicas=1.5"], {}, /not an integer/],
    [["--debounce=soon"], {}, /invalid debounce .*not a duration/],
    [["--tls=maybe"], {}, /invalid tls .*not a boolean/],
    [["--name=Bad_Name"], {}, /invalid name \(--name \/ GATEHOUSE_NAME\): must be lowercase/],
    [["--colour=red"], {}, /unknown option --colour/],
    [["--nats-url"], {}, /option --nats-url needs a value/],
    [["stray"], {}, /unexpected argument "stray"/],
  ])("stops on %j %j with a message naming the option", (argv, env, message) => {
    expect(() => config.parse({ argv, env })).toThrow(ConfigError);
    expect(() => config.parse({ argv, env })).toThrow(message);
  });

  it("lists every option with its flag, variable and default in the help", () => {
    const help = config.help("translator");
    expect(help).toContain("Usage: translator [options]");
    expect(help).toContain("--nats-url, NATS_URL [default: nats://127.0.0.1:4222]");
    expect(help).toContain("--log-level, LOG_LEVEL (debug|info|warn) [default: info]");
    expect(help).toContain("--creds-file, GATEHOUSE_CREDS_FILE\n");
  });

  it("parses durations", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("42")).toBe(42);
    expect(() => parseDuration("5 s")).toThrow();
    expect(() => parseDuration("5sx")).toThrow();
  });
});
