// Parsing of Kubernetes API paths: /api/v1/namespaces/ns/services/name/status,
// /apis/group/version/plural, and the discovery paths (/api, /apis, /apis/group/version).

export type ParsedPath =
  | { type: "discovery-root"; core: boolean }
  | { type: "discovery-group"; group: string }
  | { type: "discovery-version"; group: string; version: string }
  | { type: "version" }
  | {
      type: "resource";
      group: string;
      version: string;
      namespace?: string;
      plural: string;
      name?: string;
      subresource?: string;
    };

export function parsePath(pathname: string): ParsedPath | undefined {
  const segs = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (segs[0] === "version" && segs.length === 1) return { type: "version" };
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segs[0] === "api") {
    if (segs.length === 1) return { type: "discovery-root", core: true };
    group = "";
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === "apis") {
    if (segs.length === 1) return { type: "discovery-root", core: false };
    group = segs[1];
    if (segs.length === 2) return { type: "discovery-group", group };
    version = segs[2];
    rest = segs.slice(3);
  } else return undefined;
  if (rest.length === 0) return { type: "discovery-version", group, version };
  // namespaces/<ns>/<plural>[/<name>[/<sub>]] unless it is the Namespace resource itself
  // (namespaces/<name>[/status]).
  if (group === "" && rest[0] === "namespaces" && (rest.length <= 2 || (rest.length === 3 && rest[2] === "status"))) {
    return { type: "resource", group, version, plural: "namespaces", name: rest[1], subresource: rest[2] };
  }
  if (rest[0] === "namespaces" && rest.length >= 3) {
    if (rest.length > 5) return undefined;
    return { type: "resource", group, version, namespace: rest[1], plural: rest[2], name: rest[3], subresource: rest[4] };
  }
  if (rest.length > 3) return undefined;
  return { type: "resource", group, version, plural: rest[0], name: rest[1], subresource: rest[2] };
}
