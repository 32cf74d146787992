// The READY column of `gatehouse up`'s service table: each service's /readyz, asked every
// few seconds (one request at a time per service, with a timeout, so a stuck service costs
// nothing). A 503 names the checks that fail, which the table shows as the reason.

export interface Readiness {
  ready: boolean;
  /** The failing checks, "name: result", when not ready. */
  detail?: string;
}

/** The readiness a /readyz answer stands for (status code and JSON body of libs/runtime's health server). */
export function readinessOf(status: number, body: string): Readiness {
  if (status === 200) return { ready: true };
  try {
    const checks = (JSON.parse(body) as { checks?: Record<string, string> }).checks ?? {};
    const failing = Object.entries(checks).filter(([, v]) => v !== "ok");
    return { ready: false, detail: failing.map(([k, v]) => `${k}: ${v}`).join(", ") || `HTTP ${status}` };
  } catch {
    return { ready: false, detail: `HTTP ${status}` };
  }
}

export class ReadinessPoller {
  private readonly results = new Map<string, Readiness>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ports: ReadonlyMap<string, number>,
    private readonly onChange: () => void,
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    this.poll();
    this.timer = setInterval(() => this.poll(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** What the service last said; undefined while it starts (it has not answered yet). */
  get(service: string): Readiness | undefined {
    return this.results.get(service);
  }

  /** Forgets what a service said (it restarted: its new process has not answered yet). */
  forget(service: string): void {
    if (this.results.delete(service)) this.onChange();
  }

  private poll(): void {
    for (const [name, port] of this.ports) {
      if (this.inFlight.has(name)) continue;
      this.inFlight.add(name);
      void askReadiness(port)
        .then((r) => {
          const before = this.results.get(name);
          // Not listening yet after a (re)start: still starting, not "not answering".
          if (!r && !before) return;
          r ??= { ready: false, detail: "not answering" };
          this.results.set(name, r);
          if (before?.ready !== r.ready || before?.detail !== r.detail) this.onChange();
        })
        .finally(() => this.inFlight.delete(name));
    }
  }
}

/** A service's /readyz answer on 127.0.0.1:`port`, or undefined when it does not answer (in time). */
export async function askReadiness(port: number, timeoutMs = 1_500): Promise<Readiness | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    return readinessOf(res.status, await res.text());
  } catch {
    return undefined;
  }
}
