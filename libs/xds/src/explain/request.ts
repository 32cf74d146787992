// The request to explain, from a URL or from separate parts (--host, --path, --method,
// --header, --sni, --port). Users' mistakes are returned as messages, never thrown.
import type { EnvoyConfig, ExplainRequest } from "./types";
import { socketAddress } from "./listener-match";

export interface RequestParts {
  url?: string;
  host?: string;
  path?: string;
  method?: string;
  /** "Name=value" or "Name: value". */
  headers?: string[];
  sni?: string;
  port?: number;
  /** Force TLS without an https URL or --sni. */
  tls?: boolean;
}

export function buildExplainRequest(parts: RequestParts, config: EnvoyConfig): { request: ExplainRequest; notes: string[] } | { error: string } {
  const notes: string[] = [];
  let tls = parts.tls === true || parts.sni !== undefined;
  let host = parts.host;
  let path = parts.path;
  let port = parts.port;
  if (parts.url !== undefined) {
    let url: URL;
    try {
      url = new URL(parts.url.includes("://") ? parts.url : `http://${parts.url}`);
    } catch {
      return { error: `${JSON.stringify(parts.url)} is not a URL` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return { error: `URL scheme must be http or https, got ${url.protocol.slice(0, -1)}` };
    if (url.protocol === "https:") tls = true;
    host ??= url.host;
    path ??= `${url.pathname}${url.search}`;
    if (port === undefined && url.port !== "") port = Number(url.port);
  }
  if (!host) return { error: "say which host the request is for: a URL or --host" };
  path ??= "/";
  if (!path.startsWith("/")) return { error: `the path must start with "/", got ${JSON.stringify(path)}` };
  if (port === undefined) {
    const ports = [...new Set(config.listeners.map((l) => socketAddress(l)).filter((a) => a && a.protocol !== "UDP").map((a) => a!.port))];
    if (ports.length === 1) {
      port = ports[0];
      notes.push(`port ${port}: the Gateway's only TCP listener port (pass --port or a URL with a port to choose)`);
    } else {
      port = tls ? 443 : 80;
      notes.push(`port ${port}: the ${tls ? "https" : "http"} default (the Gateway listens on ${ports.join(", ") || "no TCP port"}; pass --port to choose)`);
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `--port must be a port number (1-65535), got ${String(port)}` };
  const headers: [string, string][] = [];
  for (const h of parts.headers ?? []) {
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(h);
    if (!m) return { error: `--header must be NAME=VALUE, got ${JSON.stringify(h)}` };
    headers.push([m[1].toLowerCase(), m[2]]);
  }
  const sni = parts.sni ?? (tls ? host.replace(/:\d+$/, "") : undefined);
  if (tls && parts.sni === undefined) notes.push(`SNI ${sni}: the host, as clients send it`);
  return { request: { port, tls, ...(sni !== undefined ? { sni } : {}), host, path, method: (parts.method ?? "GET").toUpperCase(), headers }, notes };
}
