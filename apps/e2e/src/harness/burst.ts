// A burst of route edits: `files` route files rewritten round-robin until `changes` writes
// are done, with the version of each route increasing; `at` runs a disruption (kill,
// restart) when the burst reaches a given number of writes, without pausing the burst.
import { TYPE_URLS } from "@gatehouse/xds";
import type { XdsTestClient } from "@gatehouse/testing";
import { messageType } from "@gatehouse/xds";
import { writeRoute, versionOfPath } from "./manifests";

export interface BurstOptions {
  dir: string;
  prefix: string;
  files: number;
  changes: number;
  /** Writes between yields to the event loop (so disruptions land mid-burst). */
  yieldEvery?: number;
  at?: Record<number, () => Promise<unknown> | void>;
}

/** Runs the burst; returns the final version of each route and the disruptions' promises. */
export async function runBurst(opts: BurstOptions): Promise<{ finalVersion: Map<string, number>; pending: Promise<unknown>[] }> {
  const finalVersion = new Map<string, number>();
  const pending: Promise<unknown>[] = [];
  for (let n = 0; n < opts.changes; n++) {
    const i = n % opts.files;
    const version = Math.floor(n / opts.files);
    const name = `${opts.prefix}${i}`;
    writeRoute(opts.dir, name, version);
    finalVersion.set(name, version);
    const hook = opts.at?.[n];
    if (hook) pending.push(Promise.resolve(hook()));
    if ((n + 1) % (opts.yieldEvery ?? 10) === 0) await new Promise((r) => setTimeout(r, 2));
  }
  return { finalVersion, pending };
}

/**
 * Checks that every RDS response the client received carried, for each route, a version no
 * older than one it had received before: nothing applied out of order. Returns the number
 * of route versions seen.
 */
export function assertNeverOlder(client: XdsTestClient, prefix: string): number {
  const type = messageType(TYPE_URLS.route);
  const latest = new Map<string, number>();
  let seen = 0;
  for (const response of client.responses) {
    if (response.typeUrl !== TYPE_URLS.route) continue;
    for (const r of response.resources) {
      const rc = type.toObject(type.decode(r.bytes), { defaults: false }) as {
        virtual_hosts?: { routes?: { match?: { prefix?: string; path_separated_prefix?: string } }[] }[];
      };
      for (const vh of rc.virtual_hosts ?? []) {
        for (const route of vh.routes ?? []) {
          const p = route.match?.path_separated_prefix ?? route.match?.prefix ?? "";
          const v = versionOfPath(p);
          if (!v || !v.name.startsWith(prefix)) continue;
          seen++;
          const before = latest.get(v.name) ?? -1;
          if (v.version < before) throw new Error(`route ${v.name} went back from v${before} to v${v.version}`);
          latest.set(v.name, v.version);
        }
      }
    }
  }
  return seen;
}
