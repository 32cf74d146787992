// A route rule's sessionPersistence (GEP-1619, experimental channel) as IR. Envoy's stateful
// session filter keeps a client on one endpoint through a cookie or a header; what it cannot
// express makes the rule unaccepted with a message saying so, instead of being dropped quietly.
import type { HTTPMatch, SessionPersistence } from "@gatehouse/ir";
import { contentHash } from "@gatehouse/ir";
import type { RouteProblem } from "./conditions";
import type { RouteNode } from "./graph";
import type { SessionPersistenceSpec } from "./kube-types";
import { parseDuration } from "./route-rules";

/** The rule's session settings, before the cookie path (which depends on each match) is known. */
export type RuleSession = { type: "Cookie"; name: string; ttlMs?: number } | { type: "Header"; name: string };

/** RFC 9110 token: what a cookie name (RFC 6265) and a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function ruleSession(
  sp: SessionPersistenceSpec | undefined,
  route: RouteNode,
  ruleIndex: number,
  ruleName: string | undefined,
): { session?: RuleSession; problem?: RouteProblem } {
  if (sp === undefined || sp === null) return {};
  const fail = (message: string) => ({ problem: { type: "Accepted" as const, reason: "UnsupportedValue", message: `Rule ${ruleIndex}: sessionPersistence ${message}` } });
  // Envoy's session state has no idle expiry; the field left the CRD in v1.6 but an older CRD keeps it.
  if (sp.idleTimeout !== undefined) return fail("idleTimeout is not supported: Envoy's stateful session cannot expire an idle session");
  const type = sp.type ?? "Cookie";
  if (type !== "Cookie" && type !== "Header") return fail(`type ${String(type)} is not supported, only Cookie and Header are`);
  const name = sp.sessionName ? sp.sessionName : defaultSessionName(route, ruleIndex, ruleName);
  if (!TOKEN.test(name)) return fail(`sessionName ${JSON.stringify(name)} cannot be a ${type === "Cookie" ? "cookie" : "header"} name: only RFC 9110 token characters are allowed`);
  let ttlMs: number | undefined;
  if (sp.absoluteTimeout !== undefined) {
    ttlMs = parseDuration(sp.absoluteTimeout);
    if (ttlMs === undefined) return fail(`absoluteTimeout ${JSON.stringify(sp.absoluteTimeout)} is not a valid duration`);
  }
  if (type === "Header") {
    if (sp.cookieConfig !== undefined) return fail("cookieConfig can only be set with type Cookie");
    // Envoy's header-based session state carries no expiry.
    if (ttlMs !== undefined) return fail("absoluteTimeout is not supported with type Header: the session header carries no expiry");
    return { session: { type: "Header", name: name.toLowerCase() } };
  }
  const lifetime = sp.cookieConfig?.lifetimeType ?? "Session";
  if (lifetime !== "Session" && lifetime !== "Permanent") return fail(`cookieConfig.lifetimeType ${String(lifetime)} is not supported`);
  if (lifetime === "Permanent") {
    if (ttlMs === undefined) return fail("absoluteTimeout must be specified when cookie lifetimeType is Permanent");
    if (ttlMs <= 0) return fail("absoluteTimeout must be greater than zero for a Permanent cookie");
    return { session: { type: "Cookie", name, ttlMs } };
  }
  // Envoy ties the session's lifetime to the cookie's Max-Age: it cannot keep a browser-session
  // cookie and still expire the session after a fixed time on the gateway side.
  if (ttlMs !== undefined) {
    return fail("absoluteTimeout is not supported with cookie lifetimeType Session: Envoy can only bound a session through the cookie's Max-Age, so use lifetimeType Permanent");
  }
  return { session: { type: "Cookie", name } };
}

/**
 * Completes the rule's session with what its matches say. A cookie's Path is the longest
 * path, in whole segments, that covers every match of the rule (the matched path for a single
 * exact or prefix match, "/" once a regular expression is involved): the browser then sends
 * one cookie wherever the rule applies, and the rule's matches share one session.
 */
export function sessionForRule(session: RuleSession, matches: HTTPMatch[]): SessionPersistence {
  if (session.type === "Header") return session;
  return { ...session, path: cookiePath(matches) };
}

function cookiePath(matches: HTTPMatch[]): string {
  let common: string[] | undefined;
  for (const m of matches) {
    if (m.path.type === "RegularExpression") return "/";
    const segments = m.path.value.split("/").filter((s) => s !== "");
    if (common === undefined) common = segments;
    else {
      let i = 0;
      while (i < common.length && i < segments.length && common[i] === segments[i]) i++;
      common = common.slice(0, i);
    }
  }
  return `/${(common ?? []).join("/")}`;
}

/** Without a sessionName: a stable name per rule, so sessions of different rules never mix. */
function defaultSessionName(route: RouteNode, ruleIndex: number, ruleName: string | undefined): string {
  const hash = contentHash({ kind: route.kind, namespace: route.namespace, name: route.name, rule: ruleName ?? ruleIndex });
  return `gatehouse-session-${hash.slice(0, 12)}`;
}
