// translate() at scale: 1,000 and 10,000 HTTPRoutes on one Gateway (5 hostnames, 3 matches
// per route, a mix of header modifiers, rewrites, redirects and weighted backends). Each size
// runs in its own child process so the peak RSS (getrusage maxRSS) belongs to that size alone.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { percentile, printTable, writeResults, type Row } from "./report";
import type { KubeObject } from "@gatehouse/kube";

const SIZES = [1_000, 10_000];
const RUNS = 5;
const HOSTNAMES = ["a.example.com", "b.example.com", "c.example.com", "d.example.com", "*.wild.example.com"];
const SERVICES = 50;

interface ChildResult {
  routes: number;
  buildMs: number;
  translateMs: number[];
  /** CPU time (user + system) of each run: less sensitive to other load on the machine. */
  cpuMs: number[];
  irRoutes: number;
  maxRssMiB: number;
  /** RSS before the first translation: node, the loader and the input objects. */
  baselineRssMiB: number;
  heapUsedMiB: number;
}

export async function run(argv: string[]): Promise<void> {
  const sizes = argv.length > 0 ? argv.map(Number).filter((n) => n > 0) : SIZES;
  const rows: Row[] = [];
  const results: ChildResult[] = [];
  for (const n of sizes) {
    const r = await inChild(n);
    results.push(r);
    rows.push({
      routes: r.routes,
      "ir routes": r.irRoutes,
      "build ms": r.buildMs,
      "translate p50 ms": percentile(r.translateMs, 50),
      "translate max ms": Math.max(...r.translateMs),
      "cpu p50 ms": percentile(r.cpuMs, 50),
      "cpu first ms": r.cpuMs[0],
      "baseline rss MiB": r.baselineRssMiB,
      "peak rss MiB": r.maxRssMiB,
      "heap used MiB": r.heapUsedMiB,
    });
  }
  printTable(
    `translate(): HTTPRoutes on one Gateway, ${RUNS} runs each, first one cold (target: 10,000 routes < 1 s, < 300 MiB)`,
    rows,
  );
  writeResults("translate", results);
}

function inChild(n: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--translate-bench-child", String(n)], {
      // gc() between runs, so the peak RSS is one translation's and not the garbage of the last.
      execArgv: [...process.execArgv, "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", (m) => resolve(m as ChildResult));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`translate bench child exited with ${code}`));
    });
  });
}

async function child(n: number): Promise<void> {
  const { resourceSetFrom, translate } = await import("@gatehouse/gatewayapi");
  const t0 = performance.now();
  const objects = fixture(n);
  const buildMs = performance.now() - t0;
  const baselineRss = process.memoryUsage().rss;
  const translateMs: number[] = [];
  const cpuMs: number[] = [];
  let irRoutes = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < RUNS; i++) {
    gc?.();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = translate(resourceSetFrom(objects as unknown as KubeObject[]), { controllerName: BENCH_CONTROLLER });
    translateMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    irRoutes = 0;
    for (const ir of result.irs)
      for (const l of ir.listeners) for (const c of l.filterChains) if (c.kind === "http") for (const vh of c.virtualHosts) irRoutes += vh.routes.length;
  }
  const mib = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  process.send!({
    routes: n,
    buildMs: Math.round(buildMs),
    translateMs: translateMs.map((t) => Math.round(t)),
    cpuMs: cpuMs.map((t) => Math.round(t)),
    irRoutes,
    maxRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    baselineRssMiB: mib(baselineRss),
    heapUsedMiB: mib(process.memoryUsage().heapUsed),
  } satisfies ChildResult);
}

const BENCH_CONTROLLER = "gatehouse.dev/gateway-controller";

/** A Gateway, its class, the Services and `n` HTTPRoutes. */
export function fixture(n: number): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } },
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gh" }, spec: { controllerName: BENCH_CONTROLLER } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { namespace: "apps", name: "gw", generation: 1 },
      spec: { gatewayClassName: "gh", listeners: [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" } } }] },
    },
  ];
  for (let s = 0; s < SERVICES; s++) {
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { namespace: "apps", name: `svc-${s}` },
      spec: { ports: [{ name: "http", port: 8080, targetPort: 8080, protocol: "TCP", ...(s % 10 === 0 ? { appProtocol: "kubernetes.io/h2c" } : {}) }] },
    });
  }
  for (let i = 0; i < n; i++) {
    const filters = [
      [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-route", value: `r${i}` }], remove: ["x-debug"] } }],
      [{ type: "ResponseHeaderModifier", responseHeaderModifier: { add: [{ name: "x-served-by", value: "gatehouse" }] } }],
      [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/" } } }],
      [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
    ][i % 4];
    const redirect = i % 4 === 3;
    objects.push({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { namespace: "apps", name: `route-${i}`, generation: 1, creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 3600)).toISOString() },
      spec: {
        parentRefs: [{ name: "gw" }],
        hostnames: [HOSTNAMES[i % HOSTNAMES.length].replace("*", `w${i % 7}`)],
        rules: [
          {
            matches: [
              { path: { type: "Exact", value: `/r${i}/exact` } },
              { path: { type: "PathPrefix", value: `/r${i}/` }, headers: [{ name: "x-canary", value: "true" }] },
              { path: { type: "PathPrefix", value: `/r${i}/api` }, method: "POST", queryParams: [{ name: "v", value: "2" }] },
            ],
            filters,
            ...(redirect
              ? {}
              : {
                  backendRefs: [
                    { name: `svc-${i % SERVICES}`, port: 8080, weight: 90 },
                    { name: `svc-${(i + 1) % SERVICES}`, port: 8080, weight: 10 },
                  ],
                }),
          },
        ],
      },
    });
  }
  return objects;
}

const childIndex = process.argv.indexOf("--translate-bench-child");
if (childIndex >= 0) {
  await child(Number(process.argv[childIndex + 1]));
  process.exit(0);
}
