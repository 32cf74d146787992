// RequestRedirect as envoy.config.route.v3.RedirectAction.
import type { PathMatch, Redirect } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { prefixReplacement } from "./route-rewrite";

const RESPONSE_CODES: Record<Redirect["statusCode"], string> = {
  301: "MOVED_PERMANENTLY",
  302: "FOUND",
  303: "SEE_OTHER",
  307: "TEMPORARY_REDIRECT",
  308: "PERMANENT_REDIRECT",
};

export function redirectAction(redirect: Redirect, match: PathMatch): JsonObject {
  const out: JsonObject = {};
  if (redirect.scheme) out.scheme_redirect = redirect.scheme;
  if (redirect.hostname) out.host_redirect = redirect.hostname;
  if (redirect.port !== undefined) out.port_redirect = redirect.port;
  if (redirect.path?.type === "ReplaceFullPath") out.path_redirect = redirect.path.value;
  if (redirect.path?.type === "ReplacePrefixMatch") Object.assign(out, prefixReplacement(match, redirect.path.value));
  out.response_code = RESPONSE_CODES[redirect.statusCode];
  return out;
}
