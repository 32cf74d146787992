import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, encodeKey } from "@gatehouse/bus";
import { startNatsServer, waitFor, type NatsServerHandle } from "@gatehouse/testing";
import { FileWatcherService } from "./file-watcher-service";
import { bucketKeys } from "./publish/bucket-keys";

const svc = (name: string, port = 80) =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: default }\nspec: { ports: [{ port: ${port} }] }\n`;
const slice = (name: string, ip: string) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}, namespace: default, labels: { kubernetes.io/service-name: a } }
addressType: IPv4
endpoints: [{ addresses: ["${ip}"], conditions: { ready: true } }]
ports: [{ name: http, port: 9000 }]
`;

describe("FileWatcherService", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: string;
  const services: FileWatcherService[] = [];
  const log = pino({ level: process.env.TEST_LOG ?? "silent" });

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    dir = mkdtempSync(path.join(tmpdir(), "watcher-svc-"));
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await nc?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (statusFile?: string) => {
    const s = new FileWatcherService({ nc, dir, logger: log, batchMs: 10, rescanMs: 200, statusFile });
    services.push(s);
    await s.start();
    return s;
  };

  it("publishes objects to resources and EndpointSlices to endpoints, follows edits, reports broken files", async () => {
    writeFileSync(path.join(dir, "a.yaml"), `${svc("a")}---\n${slice("a-1", "10.0.0.1")}`);
    const w = await start();
    const resources = await BucketStore.open(nc, "resources");
    const endpoints = await BucketStore.open(nc, "endpoints");
    expect(await bucketKeys(nc, "resources")).toEqual([encodeKey({ kind: "Service", namespace: "default", name: "a" })]);
    expect(await bucketKeys(nc, "endpoints")).toEqual([encodeKey({ kind: "EndpointSlice", namespace: "default", name: "a-1" })]);
    const got = await endpoints.get(encodeKey({ kind: "EndpointSlice", namespace: "default", name: "a-1" }));
    expect(got?.value.endpoints[0].addresses).toEqual(["10.0.0.1"]);

    writeFileSync(path.join(dir, "a.yaml"), `${svc("a")}---\nkind: [broken`);
    await waitFor("an Event in resources", async () => (await bucketKeys(nc, "resources")).some((k) => k.startsWith("Event.")), 10_000);
    // the broken file's objects stay
    expect(await bucketKeys(nc, "endpoints")).toHaveLength(1);
    const eventKey = (await bucketKeys(nc, "resources")).find((k) => k.startsWith("Event."))!;
    expect(String((await resources.get(eventKey))!.value.object.message)).toContain("a.yaml");

    writeFileSync(path.join(dir, "a.yaml"), svc("a", 8080));
    await waitFor("endpoints emptied", async () => (await bucketKeys(nc, "endpoints")).length === 0, 10_000);
    await w.flushed();
    expect(await bucketKeys(nc, "resources")).toEqual([encodeKey({ kind: "Service", namespace: "default", name: "a" })]);
    await w.close();
  });

  it("withdraws on restart what the folder stopped defining while it was down, and writes statuses to a file", async () => {
    rmSync(path.join(dir, "a.yaml"));
    writeFileSync(path.join(dir, "b.yaml"), svc("b"));
    const statusFile = path.join(dir, "..", `${path.basename(dir)}-status.yaml`);
    await start(statusFile);
    expect(await bucketKeys(nc, "resources")).toEqual([encodeKey({ kind: "Service", namespace: "default", name: "b" })]);

    // The translator's side: a status record appears and the watcher writes it out.
    const status = await BucketStore.open(nc, "status");
    await status.put(encodeKey({ kind: "Service", namespace: "default", name: "b" }), {
      ref: { group: "", kind: "Service", namespace: "default", name: "b" },
      observedGeneration: 3,
      status: { note: "hello" },
    });
    await waitFor("the status file", async () => existsSync(statusFile) && readFileSync(statusFile, "utf8").includes("hello"), 10_000);

    // The ingress-converter's side: an Ingress's address goes to the same file.
    const ingressStatus = await BucketStore.open(nc, "ingress-status");
    await ingressStatus.put(encodeKey({ kind: "Ingress", namespace: "shop", name: "web" }), {
      ref: { group: "networking.k8s.io", kind: "Ingress", namespace: "shop", name: "web" },
      observedGeneration: 2,
      status: { loadBalancer: { ingress: [{ ip: "192.0.2.10" }] } },
    });
    await waitFor("the Ingress address in the status file", async () => readFileSync(statusFile, "utf8").includes("192.0.2.10"), 10_000);
    const docs = parseAllDocuments(readFileSync(statusFile, "utf8")).map((d) => d.toJS());
    expect(docs).toContainEqual({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "shop", generation: 2 }, status: { loadBalancer: { ingress: [{ ip: "192.0.2.10" }] } } });
    expect(docs.map((d) => d.kind)).toEqual(["Ingress", "Service"]);
    rmSync(statusFile);
  });
});
