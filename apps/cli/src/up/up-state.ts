// .gatehouse/up.json: what a running `gatehouse up` tells other commands (`gatehouse
// status`, `gatehouse bootstrap`) about itself: the NATS URL, the xDS address and how to
// reach it (the mTLS files, or plaintext), and the service processes.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";

export interface UpState {
  pid: number;
  natsUrl: string;
  xdsAddress: string;
  /** The proxies' xDS client certificate and its SDS files; absent when xDS is plaintext (--insecure). */
  xdsTls?: { certDir: string; sdsDir: string };
  provider: "file" | "kubernetes";
  /** The watched folder (file provider), or the API server (kubernetes provider). */
  dir?: string;
  kubeServer?: string;
  startedAt: string;
  /** `restarts` and `lastExit` as of the service's last (re)start, for `gatehouse status`'s service table. */
  services: { name: string; pid?: number; healthPort: number; log: string; restarts?: number; lastExit?: string }[];
  /** The local nats-server's watchdog, when `up` started one. */
  natsPid?: number;
  bootstrapDir: string;
  /** Bootstrap file per Gateway ("namespace/name"), added as Gateways appear. */
  bootstraps: Record<string, string>;
  statusFile: string;
}

export const DEFAULT_STATE_DIR = ".gatehouse";

export function upStateFile(stateDir: string): string {
  return path.join(stateDir, "up.json");
}

export function writeUpState(stateDir: string, state: UpState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(upStateFile(stateDir), JSON.stringify(state, null, 2) + "\n");
}

export function readUpState(stateDir: string): UpState | undefined {
  const file = upStateFile(stateDir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as UpState;
  } catch {
    return undefined;
  }
}

export function removeUpState(stateDir: string): void {
  rmSync(upStateFile(stateDir), { force: true });
}
