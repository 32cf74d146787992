// A nats-server with JetStream for standalone mode: a free port on 127.0.0.1 and a
// temporary store that is removed on stop. Used only when NATS_URL is not set. It runs
// tethered (libs/runtime's watchdog), so it stops, and its store goes, when `gatehouse up`
// is gone, even after kill -9 (nats-server cannot watch its parent itself).
import { launchNatsServer, NatsServerMissingError } from "@gatehouse/runtime";

export interface LocalNats {
  url: string;
  storeDir: string;
  pid: number;
  stop(): Promise<void>;
}

export const NATS_MISSING_MESSAGE = [
  "gatehouse up: nats-server was not found on PATH.",
  "Gatehouse's services talk over NATS JetStream; standalone mode starts a local nats-server.",
  "Install it, then run `npm start` again:",
  "  Debian/Ubuntu:  sudo apt-get install nats-server",
  "  macOS:          brew install nats-server",
  "  Go:             go install github.com/nats-io/nats-server/v2@latest",
  "  Binaries:       https://github.com/nats-io/nats-server/releases",
  "Or point Gatehouse at a running server with JetStream: NATS_URL=nats://host:4222 npm start",
].join("\n");

export class NatsMissingError extends Error {
  constructor() {
    super(NATS_MISSING_MESSAGE);
  }
}

/** libs/runtime's nats-server launcher, with the install hint `gatehouse up` prints. */
export async function startLocalNats(opts: { binary?: string; timeoutMs?: number } = {}): Promise<LocalNats> {
  try {
    const server = await launchNatsServer({ binary: opts.binary, startTimeoutMs: opts.timeoutMs, tmpPrefix: "gatehouse-up-nats-", tethered: true });
    return { url: server.url, storeDir: server.storeDir, pid: server.pid, stop: () => server.stop() };
  } catch (err) {
    if (err instanceof NatsServerMissingError) throw new NatsMissingError();
    throw err;
  }
}
