// The service rows of `gatehouse status`: the same SERVICE/PID/READY/RESTARTS table `gatehouse
// up` draws, rebuilt from outside it: PIDs and restarts from up.json, readiness asked once of
// each live service's /readyz (all at once, so a stuck one costs one timeout, not one each).
import { askReadiness, type Readiness } from "./readiness-poller";
import type { ServiceRow } from "./status-view";
import type { UpState } from "./up-state";

export async function serviceRowsOf(
  state: UpState,
  alive: (pid: number) => boolean,
  ask: (port: number) => Promise<Readiness | undefined> = askReadiness,
): Promise<ServiceRow[]> {
  return Promise.all(
    state.services.map(async (s): Promise<ServiceRow> => {
      const restarts = { restarts: s.restarts ?? 0, ...(s.lastExit ? { lastExit: s.lastExit } : {}) };
      // A dead process shows as down, whatever its port says (another program may have it now).
      if (s.pid === undefined || !alive(s.pid)) return { name: s.name, ...restarts };
      // Running but silent: unlike up's poller we ask only once, so this is not "starting".
      const readiness = (await ask(s.healthPort)) ?? { ready: false, detail: "not answering" };
      return { name: s.name, pid: s.pid, ...readiness, ...restarts };
    }),
  );
}
