// Hostname intersection between a route and a listener (Gateway API spec), and the order
// virtual hosts are emitted in: exact names first, then wildcards from the most labels to
// the fewest, "*" last.

export function isWildcard(host: string): boolean {
  return host.startsWith("*.");
}

/** Does wildcard `pattern` ("*.example.com") match `host`? One or more labels may stand for "*". */
export function wildcardMatches(pattern: string, host: string): boolean {
  const suffix = pattern.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * The hostnames a route serves on a listener. Empty means they do not intersect.
 * No route hostnames: the listener's (or "*"). No listener hostname: the route's.
 */
export function computeHosts(routeHostnames: string[], listenerHostname: string | undefined): string[] {
  const listener = listenerHostname?.toLowerCase();
  if (routeHostnames.length === 0) return [listener ?? "*"];
  const out: string[] = [];
  const push = (h: string) => {
    if (!out.includes(h)) out.push(h);
  };
  for (const raw of routeHostnames) {
    const h = raw.toLowerCase();
    if (!listener) {
      push(h);
    } else if (h === listener) {
      push(h);
    } else if (isWildcard(listener) && !isWildcard(h)) {
      if (wildcardMatches(listener, h)) push(h);
    } else if (isWildcard(h) && !isWildcard(listener)) {
      if (wildcardMatches(h, listener)) push(listener);
    } else if (isWildcard(h) && isWildcard(listener)) {
      // Both wildcards: the more specific one is the intersection.
      if (wildcardMatches(listener, h.slice(2)) || h === listener) push(h);
      else if (wildcardMatches(h, listener.slice(2))) push(listener);
    }
  }
  return out;
}

/** Sort order of virtual hosts: most specific first, "*" last. */
export function compareHostSpecificity(a: string, b: string): number {
  const rank = (h: string) => (h === "*" ? 2 : isWildcard(h) ? 1 : 0);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) {
    const la = a.split(".").length;
    const lb = b.split(".").length;
    if (la !== lb) return lb - la;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
