import { defineConfig } from "@gatehouse/runtime";
import { describe, expect, it } from "vitest";
import { BUS_CONFIG_OPTIONS, busConnectOptions } from "./bus-config";

describe("bus configuration", () => {
  it("plugs into a service's configuration and gives connectBus options", () => {
    const config = defineConfig({ ...BUS_CONFIG_OPTIONS, healthPort: { type: "port", default: 8081, description: "health" } });
    const plain = config.parse({ argv: [], env: {} });
    expect(busConnectOptions(plain, "translator")).toEqual({ servers: "nats://127.0.0.1:4222", name: "translator" });
    const secured = config.parse({
      argv: ["--nats-tls-ca=/etc/nats/ca.pem"],
      env: { NATS_URL: "tls://nats:4222", NATS_CREDS: "/etc/nats/translator.creds", NATS_TLS_CERT: "/etc/nats/tls.crt", NATS_TLS_KEY: "/etc/nats/tls.key" },
    });
    expect(busConnectOptions(secured, "translator")).toEqual({
      servers: "tls://nats:4222",
      name: "translator",
      credsFile: "/etc/nats/translator.creds",
      tls: { caFile: "/etc/nats/ca.pem", certFile: "/etc/nats/tls.crt", keyFile: "/etc/nats/tls.key" },
    });
  });
});
