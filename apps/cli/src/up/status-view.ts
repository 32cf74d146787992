// The status table of `gatehouse up` and `gatehouse status`: Gateways with their listeners,
// attached routes (each route counted once) and conditions, every route with its own
// conditions (a missing backend shows as ResolvedRefs=False with its reason) (from the `status` bucket and the Gateway objects), the
// proxies connected to them with the versions they ACKed (from `xds-events`), and files
// the watcher could not parse; under `gatehouse up`, first its service processes with their
// readiness and restarts. Pure: data in, text out.
import type { ProxyState } from "./proxy-book";

export interface GatewayInfo {
  key: string;
  className: string;
  listeners: { name: string; port?: number; protocol?: string }[];
}

export interface GatewayStatusInfo {
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  listeners: { name: string; attachedRoutes: number; conditions: { type: string; status: string; reason?: string }[] }[];
}

/** A route's status as the translator wrote it: one entry per parent (Gateway). */
export interface RouteStatusInfo {
  kind: string;
  /** "namespace/name" */
  key: string;
  parents: { gateway: string; sectionName?: string; conditions: { type: string; status: string; reason?: string; message?: string }[] }[];
}

/** One service process of `gatehouse up`. */
export interface ServiceRow {
  name: string;
  pid?: number;
  /** From its /readyz; undefined until first asked. */
  ready?: boolean;
  /** Why it is not ready, from /readyz. */
  detail?: string;
  restarts: number;
  lastExit?: string;
}

export interface StatusViewInput {
  /** `up`'s service processes (absent: not shown). */
  services?: ServiceRow[];
  gateways: Map<string, GatewayInfo>;
  /** Route statuses; absent: the ROUTES column falls back to the listeners' attachedRoutes. */
  routes?: RouteStatusInfo[];
  statuses: Map<string, GatewayStatusInfo>;
  proxies: ProxyState[];
  fileErrors: { file: string; message: string }[];
  /** Where bootstraps were written, by Gateway key. */
  bootstraps?: Map<string, string>;
}

const SHORT_TYPES: Record<string, string> = {
  "type.googleapis.com/envoy.config.listener.v3.Listener": "LDS",
  "type.googleapis.com/envoy.config.route.v3.RouteConfiguration": "RDS",
  "type.googleapis.com/envoy.config.cluster.v3.Cluster": "CDS",
  "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment": "EDS",
  "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret": "SDS",
};

export function renderStatus(input: StatusViewInput): string {
  const lines: string[] = [];
  if (input.services && input.services.length) lines.push(serviceTable(input.services), "");
  const keys = [...new Set([...input.gateways.keys(), ...input.statuses.keys()])].sort();
  const gwRows = keys.map((key) => {
    const info = input.gateways.get(key);
    const st = input.statuses.get(key);
    const listeners = (st?.listeners ?? info?.listeners.map((l) => ({ name: l.name, attachedRoutes: 0, conditions: [] })) ?? []).map((l) => {
      const spec = info?.listeners.find((x) => x.name === l.name);
      const programmed = condition(l.conditions, "Programmed");
      const mark = programmed && programmed.status !== "True" ? "!" : "";
      return `${l.name}${spec?.port ? `:${spec.port}` : ""}(${l.attachedRoutes})${mark}`;
    });
    // A route attached to two listeners is one route: count routes, not attachments.
    const routes = input.routes
      ? input.routes.filter((r) => r.parents.some((p) => p.gateway === key && condition(p.conditions, "Accepted")?.status === "True")).length
      : (st?.listeners ?? []).reduce((n, l) => n + l.attachedRoutes, 0);
    const accepted = condition(st?.conditions ?? [], "Accepted");
    const programmed = condition(st?.conditions ?? [], "Programmed");
    const gwProxies = input.proxies.filter((p) => p.gateway === key);
    const nacking = gwProxies.filter((p) => p.nack).length;
    return {
      GATEWAY: key,
      CLASS: info?.className ?? "",
      "LISTENERS (port, attached routes)": listeners.join(" ") || "-",
      ROUTES: String(routes),
      ACCEPTED: accepted?.status ?? "-",
      PROGRAMMED: programmed ? `${programmed.status}${programmed.status !== "True" && programmed.reason ? ` (${programmed.reason})` : ""}` : "-",
      PROXIES: `${gwProxies.length}${nacking ? ` (${nacking} NACK)` : ""}`,
    };
  });
  lines.push(gwRows.length ? table(gwRows) : "No Gateways yet.");

  const problems = keys.flatMap((key) => {
    const st = input.statuses.get(key);
    const programmed = condition(st?.conditions ?? [], "Programmed");
    const accepted = condition(st?.conditions ?? [], "Accepted");
    const bad = [accepted, programmed].filter((c) => c && c.status !== "True" && c.message);
    return bad.map((c) => `  ${key}: ${c!.type}=${c!.status}: ${c!.message}`);
  });
  if (problems.length) lines.push("", "Conditions:", ...problems);

  if (input.routes && input.routes.length > 0) lines.push("", routeTable(input.routes));
  const routeProblems = (input.routes ?? []).flatMap((r) =>
    r.parents.flatMap((p) =>
      p.conditions.filter((c) => c.status !== "True" && c.type !== "PartiallyInvalid").map((c) => `  ${r.kind} ${r.key} on ${p.gateway}: ${c.type}=${c.status} (${c.reason ?? ""}): ${c.message ?? ""}`),
    ),
  );
  if (routeProblems.length) lines.push("", "Route conditions:", ...routeProblems);

  lines.push("");
  if (input.proxies.length === 0) {
    lines.push("No proxies connected.");
  } else {
    const rows = input.proxies.map((p) => {
      const row: Record<string, string> = { PROXY: p.nodeId, GATEWAY: p.gateway };
      for (const [url, short] of Object.entries(SHORT_TYPES)) row[short] = p.acked[url] ? p.acked[url].slice(0, 8) : "-";
      row.NACK = p.nack ? `${SHORT_TYPES[p.nack.typeUrl] ?? p.nack.typeUrl} ${p.nack.error.slice(0, 60)}` : "";
      return row;
    });
    lines.push(table(rows));
    // The whole message of each open NACK: it is what the proxy says is wrong.
    const nacks = input.proxies.filter((p) => p.nack);
    if (nacks.length) {
      lines.push("", "Rejected by proxies (last NACK):");
      for (const p of nacks) lines.push(`  ${p.nodeId} (${p.gateway}) ${SHORT_TYPES[p.nack!.typeUrl] ?? p.nack!.typeUrl} version ${p.nack!.version}: ${p.nack!.error}`);
    }
  }
  if (input.bootstraps && input.bootstraps.size) {
    lines.push("", "Envoy bootstraps:");
    for (const [key, file] of [...input.bootstraps].sort()) lines.push(`  ${key}: envoy -c ${file}`);
  }
  if (input.fileErrors.length) {
    lines.push("", "Manifest files that do not parse (their previous objects stay in effect):");
    for (const e of input.fileErrors) lines.push(`  ${e.message.split("\n")[0]}`);
  }
  return lines.join("\n") + "\n";
}

function serviceTable(services: ServiceRow[]): string {
  return table(
    services.map((s) => ({
      SERVICE: s.name,
      PID: s.pid !== undefined ? String(s.pid) : "-",
      READY: s.pid === undefined ? "down" : s.ready === undefined ? "starting" : s.ready ? "yes" : `no${s.detail ? ` (${s.detail.slice(0, 60)})` : ""}`,
      RESTARTS: s.restarts ? `${s.restarts} (last: ${s.lastExit ?? "?"})` : "0",
    })),
  );
}

/** One row per route and Gateway, with Accepted and ResolvedRefs (the reason when not True). */
function routeTable(routes: RouteStatusInfo[]): string {
  const show = (c: { status: string; reason?: string } | undefined) => (c ? `${c.status}${c.status !== "True" && c.reason ? ` (${c.reason})` : ""}` : "-");
  const rows = [...routes]
    .sort((a, b) => `${a.kind}/${a.key}`.localeCompare(`${b.kind}/${b.key}`))
    .flatMap((r) =>
      r.parents.map((p) => ({
        ROUTE: `${r.kind} ${r.key}`,
        GATEWAY: `${p.gateway}${p.sectionName ? `/${p.sectionName}` : ""}`,
        ACCEPTED: show(condition(p.conditions, "Accepted")),
        RESOLVEDREFS: show(condition(p.conditions, "ResolvedRefs")),
      })),
    );
  return rows.length ? table(rows) : "No routes.";
}

function condition<T extends { type: string }>(list: T[], type: string): T | undefined {
  return list.find((c) => c.type === type);
}

function table(rows: Record<string, string>[]): string {
  const cols = Object.keys(rows[0]);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => r[c] ?? "")))].join("\n");
}
