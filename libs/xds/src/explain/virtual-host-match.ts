// Envoy's virtual host selection on the :authority header (lowercased; the port dropped when
// the route configuration sets ignore_port_in_host_matching): an exact domain, then suffix
// wildcards ("*.example.com", "*-api.example.com", the longest suffix first), then prefix
// wildcards ("api.*", the longest prefix first), then "*". A wildcard stands for at least one
// character. No virtual host: Envoy answers 404.
import type { JsonObject } from "../resources/json";
import type { ExplainStep } from "./types";

export interface VirtualHostMatch {
  virtualHost?: JsonObject;
  /** The domain that matched and how. */
  domain?: string;
  step: ExplainStep;
}

export function matchVirtualHost(routeConfiguration: JsonObject, authority: string): VirtualHostMatch {
  const vhosts = (routeConfiguration.virtual_hosts as JsonObject[] | undefined) ?? [];
  let host = authority.toLowerCase();
  if (routeConfiguration.ignore_port_in_host_matching === true) host = stripPort(host);
  const domains = vhosts.flatMap((vh) => ((vh.domains as string[] | undefined) ?? []).map((d) => ({ vh, domain: d.toLowerCase() })));

  const found =
    pick(domains.filter((d) => d.domain === host), "exact domain") ??
    pick(
      domains
        .filter((d) => d.domain.length > 1 && d.domain.startsWith("*") && host.length > d.domain.length - 1 && host.endsWith(d.domain.slice(1)))
        .sort((a, b) => b.domain.length - a.domain.length),
      "suffix wildcard, the longest that matches",
    ) ??
    pick(
      domains
        .filter((d) => d.domain.length > 1 && d.domain.endsWith("*") && host.length > d.domain.length - 1 && host.startsWith(d.domain.slice(0, -1)))
        .sort((a, b) => b.domain.length - a.domain.length),
      "prefix wildcard, the longest that matches",
    ) ??
    pick(domains.filter((d) => d.domain === "*"), "catch-all domain");

  if (!found) {
    const all = domains.map((d) => d.domain);
    return {
      step: {
        rule: "virtual host",
        notes: [`no virtual host of ${String(routeConfiguration.name)} serves host ${JSON.stringify(host)}: Envoy answers 404`, `domains: ${all.join(", ") || "(none)"}`],
      },
    };
  }
  return {
    virtualHost: found.vh,
    domain: found.domain,
    step: { rule: "virtual host", chosen: String(found.vh.name), notes: [`host ${JSON.stringify(host)} matched domain ${JSON.stringify(found.domain)} (${found.how})`] },
  };
}

function pick(candidates: { vh: JsonObject; domain: string }[], how: string) {
  return candidates.length > 0 ? { ...candidates[0], how } : undefined;
}

function stripPort(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(0, end + 1) : host;
  }
  const colon = host.lastIndexOf(":");
  return colon > 0 && host.indexOf(":") === colon && /^\d+$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}
