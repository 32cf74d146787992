// `gatehouse explain` as text: the request, each decision Envoy makes (listener, filter
// chain, virtual host, route, rewrites, headers), the backends with weights and endpoint
// health, and how the request ends. Pure: explanation in, text out.
import { describeOrigin, type BackendOutcome, type Explanation } from "@gatehouse/xds";

const SELECTIONS = new Set(["listener", "filter chain", "virtual host", "route", "tcp proxy"]);

export function renderExplanation(gateway: string, source: string, e: Explanation, requestNotes: string[]): string {
  const r = e.request;
  const lines: string[] = [];
  const scheme = r.tls ? "https" : "http";
  lines.push(`Gateway ${gateway} (${source})`);
  lines.push(`Request ${r.method} ${scheme}://${r.host}${r.path} on port ${r.port}${r.tls ? `, TLS with SNI ${r.sni ?? "(none)"}` : ", plaintext"}`);
  for (const [name, value] of r.headers) lines.push(`  ${name}: ${value}`);
  for (const n of requestNotes) lines.push(`  (${n})`);
  lines.push("");
  const width = Math.max(...e.steps.map((s) => s.rule.length)) + 2;
  for (const step of e.steps) {
    const head = capitalize(step.rule).padEnd(width);
    // Selection steps name what they chose (or "(none)"); the others (rewrites, headers) just say what happens.
    const selection = SELECTIONS.has(step.rule);
    const [first, ...rest] = selection ? [step.chosen ?? "(none)", ...step.notes] : step.notes;
    lines.push(`${head}${first ?? ""}`);
    for (const note of rest) lines.push(`${" ".repeat(width)}${note}`);
  }
  const o = e.outcome;
  if (o.kind === "forwarded" || o.kind === "tcp-forwarded") {
    lines.push("", "Backends:");
    for (const b of o.backends) lines.push(...backendLines(b));
  }
  lines.push("", `Result: ${result(e)}`);
  if (e.origin) lines.push(`From:   ${describeOrigin(e.origin)}`);
  return lines.join("\n") + "\n";
}

function backendLines(b: BackendOutcome): string[] {
  const out = [`  ${b.cluster}  weight ${b.weight} (${b.percent}%)`];
  for (const ep of b.endpoints) out.push(`    ${ep.address}  ${ep.health}`);
  if (b.failure) out.push(`    ! ${b.failure.reason}`);
  return out;
}

function result(e: Explanation): string {
  const o = e.outcome;
  switch (o.kind) {
    case "connection-refused":
      return `connection refused: ${o.reason}`;
    case "connection-closed":
      return `connection closed: ${o.reason}`;
    case "response":
      return `${o.status}${o.location ? ` Location: ${o.location}` : ""}: ${o.reason}${o.body !== undefined ? ` (body ${JSON.stringify(o.body)})` : ""}`;
    case "forwarded":
      return `forwarded as ${e.request.method} ${o.upstreamPath} (Host ${o.upstreamHost}): ${o.reason}`;
    case "tcp-forwarded":
      return `connection forwarded: ${o.reason}`;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
