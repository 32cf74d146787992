// A real nats-server with JetStream for integration tests: libs/runtime's launcher (its own
// free port, its own temporary store, stopped and removed by stop(); restart() and kill9()
// take the server away under a live client), plus what tests need around it: NATS_URL
// points tests at an external server instead (then nothing is spawned and restart/kill9 are
// unavailable), a hint on how to install nats-server, and no server left behind by a test
// run that dies without afterAll.
import { launchNatsServer, NatsServerMissingError, type NatsServerProcess } from "@gatehouse/runtime";

export interface NatsServerOptions {
  /** Server max_payload in bytes (nats-server default: 1 MiB). */
  maxPayload?: number;
  /** Extra lines for the server configuration file. */
  extraConfig?: string;
  /** Ignore NATS_URL and always spawn a server (tests that restart it need that). */
  forceSpawn?: boolean;
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
}

export interface NatsServerHandle {
  /** nats://127.0.0.1:<port> (or NATS_URL). */
  url: string;
  port: number;
  /** JetStream store directory ("" for an external server). */
  storeDir: string;
  /** False when NATS_URL pointed at an external server. */
  spawned: boolean;
  /** Stops the server gracefully and removes its temporary directory. */
  stop(): Promise<void>;
  /** Stops the server (if running) and starts it again on the same port with the same store. */
  restart(): Promise<void>;
  /** SIGKILLs the server, leaving its store as a crash would; restart() brings it back. */
  kill9(): Promise<void>;
}

const running = new Set<NatsServerProcess>();
let exitHookInstalled = false;

/** Starts a nats-server with JetStream on a free port of 127.0.0.1 and waits until it is ready. */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const external = process.env.NATS_URL;
  if (external && !opts.forceSpawn) return externalServer(external);
  installExitHook();
  let server: NatsServerProcess;
  try {
    server = await launchNatsServer({ maxPayload: opts.maxPayload, extraConfig: opts.extraConfig, startTimeoutMs: opts.startTimeoutMs });
  } catch (err) {
    if (err instanceof NatsServerMissingError) throw new Error(NOT_INSTALLED);
    throw err;
  }
  running.add(server);
  return {
    url: server.url,
    port: server.port,
    storeDir: server.storeDir,
    spawned: true,
    stop: async () => {
      await server.stop();
      running.delete(server);
    },
    restart: () => server.restart(),
    kill9: () => server.kill9(),
  };
}

function externalServer(url: string): NatsServerHandle {
  const unavailable = (what: string) => async () => {
    throw new Error(`${what} is not possible: NATS_URL=${url} points at an external server (unset NATS_URL to let the test spawn one)`);
  };
  const port = Number(new URL(url.replace(/^nats:/, "http:")).port || 4222);
  return {
    url,
    port,
    storeDir: "",
    spawned: false,
    stop: async () => {},
    restart: unavailable("restart()"),
    kill9: unavailable("kill9()"),
  };
}

const NOT_INSTALLED =
  "nats-server is not on PATH. Integration tests need a real NATS server with JetStream: " +
  "install it (https://docs.nats.io/running-a-nats-service/introduction/installation, e.g. " +
  "`go install github.com/nats-io/nats-server/v2@latest` or a release binary) or set " +
  "NATS_URL=nats://host:port to use a running server started with -js.";

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that dies without afterAll must not leave servers behind.
  process.once("exit", () => {
    for (const s of running) if (s.pid) process.kill(s.pid, "SIGKILL");
  });
}
