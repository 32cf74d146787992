// Ingress migration end to end: an Ingress written into the watched folder reaches a real
// xDS client through the watcher, the ingress-converter (resources -> derived), the
// translator and the xds-server, each a real process; the client follows when the Ingress
// is edited and when it is deleted.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { XdsTestClient } from "@gatehouse/testing";
import { Pipeline } from "./harness/pipeline";
import { waitUntil } from "./harness/wait";
import { followLikeEnvoy, routePaths } from "./harness/xds-view";

/** The Gateway the converter generates for IngressClass "gatehouse". */
const GATEWAY = "gatehouse-system/gatehouse";
const BASE = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: gatehouse}
spec: {controller: gatehouse.dev/ingress-controller}
---
apiVersion: v1
kind: Service
metadata: {namespace: shop, name: web}
spec:
  ports: [{name: http, port: 8080}]
`;
const ingress = (prefix: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {namespace: shop, name: storefront}
spec:
  ingressClassName: gatehouse
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: ${prefix}, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
`;

describe("Ingress end to end", () => {
  let p: Pipeline;
  let client: XdsTestClient;

  beforeAll(async () => {
    p = await Pipeline.start({ logLevel: "warn", services: ["watcher", "ingress-converter", "translator", "xds-server"] });
    writeFileSync(path.join(p.dir, "00-base.yaml"), BASE);
    client = followLikeEnvoy(p.xdsAddress, GATEWAY);
  });
  afterAll(async () => {
    client?.close();
    await p?.close();
  });

  const paths = () => [...routePaths(client).values()].sort();
  const waitForPaths = async (want: string[], what: string) => {
    try {
      await waitUntil(() => JSON.stringify(paths()) === JSON.stringify(want), what, 60_000);
    } catch (err) {
      const logs = (["watcher", "ingress-converter", "translator", "xds-server"] as const).map((s) => `--- ${s} ---\n${p.logTail(s, 10)}`).join("\n");
      throw new Error(`${(err as Error).message}; client holds ${JSON.stringify(paths())}\n${logs}`);
    }
  };

  it("routes an Ingress written into the folder, follows its edit and its deletion", async () => {
    const file = path.join(p.dir, "ingress.yaml");
    writeFileSync(file, ingress("/shop"));
    await waitForPaths(["/shop"], "the Ingress's route at the proxy");
    writeFileSync(file, ingress("/store"));
    await waitForPaths(["/store"], "the edited path at the proxy");
    rmSync(file);
    await waitForPaths([], "the route gone from the proxy");
  });
});
