// Looking at a service that runs as its own process (benchmarks and tests that start the
// apps' entry points): wait until its /readyz answers 200, and sum samples of its /metrics.

/** Resolves once http://127.0.0.1:<healthPort>/readyz answers 200; rejects after `timeoutMs`. */
export async function waitReady(healthPort: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`service on health port ${healthPort} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The Prometheus text of http://127.0.0.1:<healthPort>/metrics. */
export async function scrapeMetrics(healthPort: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
}

/** Sum of the values of every sample line named exactly `name` (all label sets). */
export function metricSum(text: string, name: string): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== " " && rest[0] !== "{") continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}
