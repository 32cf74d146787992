// What the HTTP connection manager does to :path before routing, in Envoy's order:
// normalize_path (RFC 3986: percent-decode unreserved characters, remove "." and ".."
// segments), merge_slashes ("//" to "/"), then path_with_escaped_slashes_action
// (UNESCAPE_AND_REDIRECT answers a redirect to the path with %2F and %5C decoded).
import type { JsonObject } from "../resources/json";

export interface NormalizedPath {
  path: string;
  notes: string[];
  /** Set when Envoy answers a redirect instead of routing. */
  redirectTo?: string;
  /** Set when Envoy answers 400 instead of routing. */
  rejected?: boolean;
}

export function normalizePath(hcm: JsonObject, fullPath: string): NormalizedPath {
  const q = fullPath.search(/[?#]/);
  let path = q < 0 ? fullPath : fullPath.slice(0, q);
  const query = q < 0 ? "" : fullPath.slice(q);
  const notes: string[] = [];
  if (hcm.normalize_path === true) {
    const normalized = removeDotSegments(decodeUnreserved(path));
    if (normalized !== path) notes.push(`normalize_path: ${path} becomes ${normalized}`);
    path = normalized;
  }
  if (hcm.merge_slashes === true) {
    const merged = path.replace(/\/{2,}/g, "/");
    if (merged !== path) notes.push(`merge_slashes: ${path} becomes ${merged}`);
    path = merged;
  }
  const action = hcm.path_with_escaped_slashes_action;
  if (/%2f|%5c/i.test(path)) {
    const unescaped = path.replace(/%2f/gi, "/").replace(/%5c/gi, "\\");
    if (action === "UNESCAPE_AND_REDIRECT") {
      notes.push(`path_with_escaped_slashes_action UNESCAPE_AND_REDIRECT: ${path} has escaped slashes`);
      return { path, notes, redirectTo: unescaped + query };
    }
    if (action === "UNESCAPE_AND_FORWARD") {
      notes.push(`path_with_escaped_slashes_action UNESCAPE_AND_FORWARD: ${path} becomes ${unescaped}`);
      path = unescaped;
    }
    if (action === "REJECT_REQUEST") {
      notes.push("path_with_escaped_slashes_action REJECT_REQUEST: Envoy answers 400");
      return { path: path + query, notes, rejected: true };
    }
  }
  return { path: path + query, notes };
}

function decodeUnreserved(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (m, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(ch) ? ch : m.toUpperCase();
  });
}

/** RFC 3986 section 5.2.4. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split("/");
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === ".") {
      if (i === segments.length - 1) out.push("");
      continue;
    }
    if (s === "..") {
      if (out.length > 1) out.pop();
      if (i === segments.length - 1) out.push("");
      continue;
    }
    out.push(s);
  }
  const joined = out.join("/");
  return joined.startsWith("/") ? joined : `/${joined}`;
}
