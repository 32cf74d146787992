// The gate between building and publishing: every resource of a Gateway is converted,
// checked against Envoy's PGV rules and encoded (proto/resource-codec.ts). A resource that
// fails is never published. Where the failure lies inside one route or one filter chain,
// only that part is cut out and the rest of the resource goes on; either way the failure is
// reported with the IR source it came from, so the translator can set the route's or
// listener's status.
import type { RouteSource } from "@gatehouse/ir";
import { encodeResource, ResourceValidationError, type EncodedResource } from "../proto/resource-codec";
import type { ValidationIssue } from "../validate/validation-issue";
import type { JsonObject, JsonValue } from "./json";
import type { GatewayResources } from "./gateway-resources";
import type { ResourceOrigin, EnvoyResource } from "./resource-type";

export interface ValidationFailure {
  resourceName: string;
  typeUrl: string;
  /** The route the failing part came from, when it came from one. */
  source?: RouteSource;
  /** Gateway listeners ("namespace/gateway/listener") of the failing filter chain or listener. */
  listeners?: string[];
  /** IR name of the failing route, filter chain, listener or cluster. */
  irName?: string;
  /** The policy behind the failing part ("namespace/name" of a BackendTLSPolicy). */
  policy?: string;
  /** "part": only the route or filter chain was left out; "resource": the whole resource was. */
  dropped: "part" | "resource";
  issues: ValidationIssue[];
}

export interface ValidatedResources {
  /** The resources that may be published (failing parts cut out, failing resources left out). */
  valid: GatewayResources;
  /** Encodings of `valid`, in the order listeners, routes, clusters, secrets. */
  encoded: EncodedResource[];
  failures: ValidationFailure[];
}

export function validateGatewayResources(resources: GatewayResources): ValidatedResources {
  const failures: ValidationFailure[] = [];
  const encoded: EncodedResource[] = [];
  const check = (list: EnvoyResource[]): EnvoyResource[] => {
    const out: EnvoyResource[] = [];
    for (const r of list) {
      const result = validateResource(r, failures);
      if (result) {
        out.push(result.resource);
        encoded.push(result.encoded);
      }
    }
    return out;
  };
  const valid: GatewayResources = {
    listeners: check(resources.listeners),
    routes: check(resources.routes),
    clusters: check(resources.clusters),
    secrets: check(resources.secrets),
  };
  return { valid, encoded, failures };
}

/** Validates one resource, pruning broken parts until it passes or must be dropped. */
export function validateResource(
  resource: EnvoyResource,
  failures: ValidationFailure[],
): { resource: EnvoyResource; encoded: EncodedResource } | undefined {
  let current = resource;
  // Each round removes at least one part, so this ends; the bound is only a guard.
  for (let round = 0; round <= (resource.origins?.length ?? 0); round++) {
    let issues: readonly ValidationIssue[];
    try {
      return { resource: current, encoded: encodeResource(current.typeUrl, current.json) };
    } catch (err) {
      if (!(err instanceof ResourceValidationError)) throw err;
      issues = err.issues;
    }
    const byOrigin = new Map<ResourceOrigin, ValidationIssue[]>();
    let unplaced: ValidationIssue[] = [];
    for (const issue of issues) {
      const origin = originOf(current.origins ?? [], issue.path);
      if (origin?.prunable) byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), issue]);
      else unplaced.push(issue);
    }
    const pruned = unplaced.length === 0 ? prune(current, [...byOrigin.keys()]) : undefined;
    if (!pruned) {
      // The fault is not inside a part that can go on its own: the whole resource goes.
      unplaced = [...issues];
      const root = originOf(current.origins ?? [], issues[0]?.path ?? "");
      failures.push({
        resourceName: resource.name,
        typeUrl: resource.typeUrl,
        source: root?.route,
        listeners: root?.listeners,
        irName: root?.irName,
        policy: root?.policy,
        dropped: "resource",
        issues: unplaced,
      });
      return undefined;
    }
    for (const [origin, list] of byOrigin) {
      failures.push({
        resourceName: resource.name,
        typeUrl: resource.typeUrl,
        source: origin.route,
        listeners: origin.listeners,
        irName: origin.irName,
        dropped: "part",
        issues: list,
      });
    }
    current = pruned;
  }
  // Unreachable while every round removes a part; never drop a resource without saying so.
  failures.push({
    resourceName: resource.name,
    typeUrl: resource.typeUrl,
    dropped: "resource",
    issues: [{ path: "", rule: "gatehouse.prune", message: "still invalid after removing every failing part" }],
  });
  return undefined;
}

/** The most specific origin whose path contains the issue's path ("a.b[0].c"). */
function originOf(origins: ResourceOrigin[], issuePath: string): ResourceOrigin | undefined {
  let best: ResourceOrigin | undefined;
  let bestLength = -1;
  for (const origin of origins) {
    const prefix = pathString(origin.path);
    const inside =
      prefix === "" || issuePath === prefix || issuePath.startsWith(`${prefix}.`) || issuePath.startsWith(`${prefix}[`);
    if (inside && prefix.length > bestLength) {
      best = origin;
      bestLength = prefix.length;
    }
  }
  return best;
}

function pathString(path: (string | number)[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}

/**
 * A copy of the resource without the given parts (array elements), with the remaining
 * origins' indexes shifted. Undefined when nothing useful would remain (a listener with no
 * filter chain is rejected by Envoy).
 */
function prune(resource: EnvoyResource, parts: ResourceOrigin[]): EnvoyResource | undefined {
  if (parts.length === 0) return undefined;
  const json = structuredClone(resource.json) as JsonObject;
  const removed = new Set(parts);
  // Remove from the highest index down so earlier removals do not move later targets.
  const ordered = [...parts].sort((a, b) => comparePaths(b.path, a.path));
  for (const part of ordered) {
    const parent = lookup(json, part.path.slice(0, -1));
    const index = part.path[part.path.length - 1];
    if (!Array.isArray(parent) || typeof index !== "number") return undefined;
    parent.splice(index, 1);
  }
  if (Array.isArray(json.filter_chains) && json.filter_chains.length === 0 && resource.json.filter_chains !== undefined) {
    return undefined;
  }
  // Origins inside a removed part (the routes of a removed virtual host) go with it.
  const inside = (o: ResourceOrigin) => parts.some((p) => p.path.length <= o.path.length && p.path.every((x, i) => x === o.path[i]));
  const origins = (resource.origins ?? [])
    .filter((o) => !removed.has(o) && !inside(o))
    .map((o) => ({ ...o, path: shiftedPath(o.path, parts) }));
  return { ...resource, json, origins };
}

function shiftedPath(path: (string | number)[], removed: ResourceOrigin[]): (string | number)[] {
  const out = [...path];
  for (const r of removed) {
    const depth = r.path.length - 1;
    const index = r.path[depth];
    if (typeof index !== "number" || out.length <= depth) continue;
    const sameParent = r.path.slice(0, depth).every((p, i) => p === path[i]);
    if (sameParent && typeof path[depth] === "number" && (path[depth] as number) > index) out[depth] = (out[depth] as number) - 1;
  }
  return out;
}

function lookup(json: JsonValue, path: (string | number)[]): JsonValue | undefined {
  let node: JsonValue | undefined = json;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = Array.isArray(node) ? node[part as number] : (node as JsonObject)[part as string];
  }
  return node;
}

function comparePaths(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === "number" && typeof b[i] === "number") return (a[i] as number) - (b[i] as number);
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return a.length - b.length;
}
