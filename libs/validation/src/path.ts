// HTTP paths in route matches and in redirect/rewrite path modifiers. Exact and
// PathPrefix values follow the CRD's CEL rules (absolute, no dot segments, no encoded
// slashes, no fragment, RFC 3986 path characters); RegularExpression values must compile
// in RE2. Modifiers (ReplaceFullPath, ReplacePrefixMatch) only need to be absolute paths
// without characters that would break the request line.
import { re2Error } from "./re2";

export type PathKind = "Exact" | "PathPrefix" | "RegularExpression" | "ReplaceFullPath" | "ReplacePrefixMatch";

export const MAX_PATH_LENGTH = 1024;
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const UNSAFE_IN_MODIFIER = /[\0-\x20\x7f?#]/;

/** The CEL rules on HTTPPathMatch for Exact and PathPrefix, in the CRD's order, with its messages. */
export const PATH_MATCH_RULES: readonly { name: string; message: string; fails(value: string): boolean }[] = [
  { name: "absolute", message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']", fails: (v) => !v.startsWith("/") },
  { name: "no-double-slash", message: "must not contain '//' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.includes("//") },
  { name: "no-dot-segment", message: "must not contain '/./' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.includes("/./") },
  { name: "no-dot-dot-segment", message: "must not contain '/../' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.includes("/../") },
  { name: "no-encoded-slash-lower", message: "must not contain '%2f' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.includes("%2f") },
  { name: "no-encoded-slash-upper", message: "must not contain '%2F' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.includes("%2F") },
  { name: "no-fragment", message: "must not contain '#' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.includes("#") },
  { name: "no-trailing-dot-dot", message: "must not end with '/..' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.endsWith("/..") },
  { name: "no-trailing-dot", message: "must not end with '/.' when type one of ['Exact', 'PathPrefix']", fails: (v) => v.endsWith("/.") },
  {
    name: "valid-characters",
    message:
      "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
    fails: (v) => !PATH_CHARS.test(v),
  },
];

/** Every CEL message an Exact/PathPrefix value violates (empty when valid). */
export function pathMatchViolations(value: string): string[] {
  const out: string[] = [];
  for (const rule of PATH_MATCH_RULES) if (rule.fails(value)) out.push(rule.message);
  return out;
}

/**
 * Returns why `value` is not a valid path of the given kind (default PathPrefix), or
 * undefined.
 */
export function pathError(value: string, kind: PathKind = "PathPrefix"): string | undefined {
  if (typeof value !== "string") return "path must be a string";
  if (value.length > MAX_PATH_LENGTH) return `path is ${value.length} characters long, more than ${MAX_PATH_LENGTH}`;
  switch (kind) {
    case "RegularExpression":
      return re2Error(value);
    case "Exact":
    case "PathPrefix": {
      const first = PATH_MATCH_RULES.find((rule) => rule.fails(value));
      return first ? `path ${JSON.stringify(value)}: ${first.message}` : undefined;
    }
    case "ReplaceFullPath":
    case "ReplacePrefixMatch":
      // An empty prefix replacement strips the matched prefix; that is meaningful.
      if (kind === "ReplacePrefixMatch" && value === "") return undefined;
      if (!value.startsWith("/")) return `path ${JSON.stringify(value)} must be an absolute path starting with '/'`;
      if (UNSAFE_IN_MODIFIER.test(value)) {
        return `path ${JSON.stringify(value)} must not contain whitespace, control characters, '?' or '#'`;
      }
      return undefined;
    default:
      return `unknown path type ${JSON.stringify(kind)}`;
  }
}
