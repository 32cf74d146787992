// A second, independent real client: gRPC C-core through Debian's python3-grpcio (SotW).
// Skipped with a message where python3 cannot import grpc (CI does not install it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NackEvent } from "../src/index";
import { echoGateway, grpcBootstrap, startBackend, unusableCluster, type Backend } from "./backends";
import { cluster, route, startTestServer, T, until, type TestServer } from "./fixtures";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata", "python_xds_client.py");
const python = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import grpc"], { stdio: "ignore" }).status === 0);
if (!python) console.warn("python-grpcio-client.test.ts: skipped: no python3 that can import grpc (apt-get install python3-grpcio)");

const G = "python/echo-gateway";
let server: TestServer;
let a: Backend;
let b: Backend;
let child: ChildProcess | undefined;
const nacks: NackEvent[] = [];

describe.skipIf(!python)("python3-grpcio (C-core) client", () => {
  beforeAll(async () => {
    server = await startTestServer();
    [a, b] = await Promise.all([startBackend("A"), startBackend("B")]);
    server.ads.addEventListener({ onNack: (e) => nacks.push(e) });
    server.cache.setGroupSnapshot(G, echoGateway(a, b));
  });
  afterAll(async () => {
    child?.stdin?.end();
    child?.kill();
    a?.stop();
    b?.stop();
    await server?.stop();
  });

  it("resolves xds:///echo, follows a route change and NACKs an unusable cluster", async () => {
    child = spawn(python!, [SCRIPT, "xds:///echo", "60"], {
      env: { ...process.env, GRPC_XDS_BOOTSTRAP_CONFIG: grpcBootstrap(`127.0.0.1:${server.transport.port}`, "python-node", G), GRPC_VERBOSITY: "ERROR" },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const answers: string[] = [];
    createInterface({ input: child.stdout! }).on("line", (l) => answers.push(l));
    const servedBy = async (name: string) => {
      const from = answers.length;
      await until(() => answers.slice(from).includes(`OK ${name}`), 20_000, `python client served by ${name} (last: ${answers.at(-1)})`);
    };

    await servedBy("A");
    expect(server.ads.status().find((s) => s.nodeId === "python-node")).toMatchObject({ group: G, protocol: "sotw" });
    server.cache.setGroupResources(G, T.route, [route("echo-routes", "*", "backend-b")]);
    await servedBy("B");

    server.cache.setGroupResources(G, T.cluster, [cluster("backend-a"), unusableCluster()]);
    await until(() => nacks.some((e) => e.nodeId === "python-node"), 20_000, "NACK from C-core");
    expect(nacks[0]).toMatchObject({ group: G, typeUrl: T.cluster });
    expect(nacks[0].errorMessage).toMatch(/lb_policy|LbPolicy/i);
    // The client keeps its last good cluster: B still answers.
    await servedBy("B");
  }, 60_000);
});
