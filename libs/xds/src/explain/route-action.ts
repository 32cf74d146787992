// What a matched Envoy route does with the request: a redirect (the Location Envoy builds),
// a direct response, or forwarding with its rewrites (prefix_rewrite replaces the matched
// prefix, regex_rewrite replaces every RE2 match in the path, host_rewrite_literal the
// :authority) and header mutations of the route, its virtual host and route configuration.
import type { JsonObject } from "../resources/json";
import { pathOnly } from "./route-match";
import { regexGlobalReplace } from "./regex";
import type { ExplainRequest } from "./types";

/** Envoy's RedirectResponseCode and the codes of cluster_not_found_response_code. */
const CODES: Record<string, number> = {
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
  SERVICE_UNAVAILABLE: 503,
  NOT_FOUND: 404,
  INTERNAL_SERVER_ERROR: 500,
};

export function responseCode(value: unknown, fallback: number): number {
  if (typeof value === "number") return value;
  return CODES[String(value)] ?? fallback;
}

/** The Location header of a redirect route and its status. */
export function redirectLocation(redirect: JsonObject, match: JsonObject, req: ExplainRequest, path: string): { status: number; location: string } {
  const fromScheme = req.tls ? "https" : "http";
  const scheme = typeof redirect.scheme_redirect === "string" ? redirect.scheme_redirect : redirect.https_redirect === true ? "https" : fromScheme;
  const [origHost, origPort] = splitHostPort(req.host);
  const host = typeof redirect.host_redirect === "string" ? redirect.host_redirect : origHost;
  let port: string | undefined = typeof redirect.host_redirect === "string" ? undefined : origPort;
  if (redirect.port_redirect !== undefined) port = String(redirect.port_redirect);
  else if (scheme !== fromScheme) port = undefined;
  if ((scheme === "http" && port === "80") || (scheme === "https" && port === "443")) port = undefined;

  let newPath = rewrittenPath(redirect, match, path);
  if (typeof redirect.path_redirect === "string") {
    const query = path.includes("?") ? path.slice(path.indexOf("?")) : "";
    newPath = redirect.path_redirect.includes("?") ? redirect.path_redirect : redirect.path_redirect + query;
  }
  if (redirect.strip_query === true) newPath = pathOnly(newPath);
  return { status: responseCode(redirect.response_code, 301), location: `${scheme}://${host}${port ? `:${port}` : ""}${newPath}` };
}

/** The path after prefix_rewrite or regex_rewrite (of a RouteAction or a RedirectAction). */
export function rewrittenPath(action: JsonObject, match: JsonObject, path: string): string {
  const query = path.includes("?") ? path.slice(path.indexOf("?")) : "";
  const bare = pathOnly(path);
  if (typeof action.prefix_rewrite === "string") {
    const matched =
      typeof match.prefix === "string"
        ? match.prefix
        : typeof match.path_separated_prefix === "string"
          ? match.path_separated_prefix
          : typeof match.path === "string"
            ? match.path
            : "";
    return action.prefix_rewrite + path.slice(matched.length);
  }
  const rr = (action.regex_rewrite ?? action.regex_redirect) as JsonObject | undefined;
  if (rr && typeof (rr.pattern as JsonObject | undefined)?.regex === "string") {
    return regexGlobalReplace(String((rr.pattern as JsonObject).regex), bare, String(rr.substitution ?? "")) + query;
  }
  return path;
}

/** One line per header mutation, outermost level last, as Envoy applies them. */
export function headerChanges(levels: { what: string; config: JsonObject | undefined }[], direction: "request" | "response"): string[] {
  const out: string[] = [];
  for (const { what, config } of levels) {
    if (!config) continue;
    for (const h of (config[`${direction}_headers_to_add`] as JsonObject[] | undefined) ?? []) {
      const header = (h.header ?? {}) as JsonObject;
      const verb = h.append_action === "OVERWRITE_IF_EXISTS_OR_ADD" ? "set" : h.append_action === "ADD_IF_ABSENT" ? "add if absent" : "append";
      out.push(`${verb} ${String(header.key)}: ${String(header.value)} (${what})`);
    }
    for (const name of (config[`${direction}_headers_to_remove`] as string[] | undefined) ?? []) out.push(`remove ${name} (${what})`);
  }
  return out;
}

export function splitHostPort(authority: string): [string, string | undefined] {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(authority);
  return m ? [m[1], m[2]] : [authority, undefined];
}
