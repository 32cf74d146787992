// Samples another process from outside, as a kubelet would see it: resident set (current and
// the kernel's high-water mark, so a peak between samples is not missed) and CPU time from
// /proc (Linux), and the V8 heap from the service's own /metrics (prom-client's default
// metrics), which needs no hook inside the service.
import { readFileSync } from "node:fs";
import { metricSum, scrapeMetrics } from "@gatehouse/runtime";

export interface ProcessSample {
  /** ms since the sampler started */
  atMs: number;
  rssBytes: number;
  /** Peak resident set since the process started (VmHWM). */
  peakRssBytes: number;
  cpuMs: number;
}

export interface HeapSample {
  atMs: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
}

/** Ticks per second of /proc/<pid>/stat times: 100 on every Linux Node runs on. */
const CLOCK_TICKS = 100;

/** Resident set, its peak and CPU time of `pid` now, from /proc; undefined once the process is gone. */
export function readProcess(pid: number): Omit<ProcessSample, "atMs"> | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    // Fields after the command name (which may hold spaces, so split after its closing paren).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return { rssBytes: kib("VmRSS"), peakRssBytes: kib("VmHWM"), cpuMs: (cpuTicks * 1000) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

export class ProcessSampler {
  readonly samples: ProcessSample[] = [];
  readonly heap: HeapSample[] = [];
  private readonly started = performance.now();
  private timers: NodeJS.Timeout[] = [];
  private scraping = false;

  constructor(
    private readonly pid: number,
    private readonly healthPort: number,
    opts: { intervalMs?: number; heapIntervalMs?: number } = {},
  ) {
    this.timers.push(setInterval(() => this.sample(), opts.intervalMs ?? 100));
    this.timers.push(setInterval(() => void this.tickHeap(), opts.heapIntervalMs ?? 1000));
  }

  /** Takes a sample now and returns it (also recorded). */
  sample(): ProcessSample | undefined {
    const p = readProcess(this.pid);
    if (!p) return undefined;
    const s = { atMs: performance.now() - this.started, ...p };
    this.samples.push(s);
    return s;
  }

  /** Reads the heap from /metrics now; undefined while the health server does not answer. */
  async sampleHeap(): Promise<HeapSample | undefined> {
    try {
      const text = await scrapeMetrics(this.healthPort);
      const h = {
        atMs: performance.now() - this.started,
        heapUsedBytes: metricSum(text, "nodejs_heap_size_used_bytes"),
        heapTotalBytes: metricSum(text, "nodejs_heap_size_total_bytes"),
        externalBytes: metricSum(text, "nodejs_external_memory_bytes"),
      };
      this.heap.push(h);
      return h;
    } catch {
      return undefined; // not listening yet, or gone
    }
  }

  /** A periodic heap sample, skipped while the previous scrape is still waiting (a busy service). */
  private async tickHeap(): Promise<void> {
    if (this.scraping) return;
    this.scraping = true;
    await this.sampleHeap();
    this.scraping = false;
  }

  peakHeapUsedBytes(): number {
    return Math.max(0, ...this.heap.map((h) => h.heapUsedBytes));
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
