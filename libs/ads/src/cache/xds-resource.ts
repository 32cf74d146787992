// The unit the cache stores and the streams send: one encoded Envoy resource with its name,
// type URL and a content version. Encoding happens once, when the resource enters the cache;
// every stream that sends it reuses the same bytes.
import { createHash } from "node:crypto";
import { TYPE_URLS } from "@gatehouse/xds";

export interface XdsResource {
  readonly name: string;
  /** A content version: equal bytes give equal versions, also across restarts. */
  readonly version: string;
  readonly typeUrl: string;
  /** The encoded message (the `value` of the Any that carries it). */
  readonly bytes: Uint8Array;
}

/** What changed in one (group, type) in one cache operation. */
export interface CacheChange {
  readonly group: string;
  readonly typeUrl: string;
  /** Names added or whose version changed. */
  readonly upserted: readonly string[];
  readonly removed: readonly string[];
}

/**
 * The order in which an ADS stream sends types so that nothing arrives before what it
 * references: secrets, then clusters and their endpoints, then listeners and their routes.
 */
export const XDS_TYPE_ORDER: readonly string[] = [
  TYPE_URLS.secret,
  TYPE_URLS.cluster,
  TYPE_URLS.endpoint,
  TYPE_URLS.listener,
  TYPE_URLS.route,
];

/** Position of a type in the send order; unknown types go last, sorted by URL. */
export function typeOrderIndex(typeUrl: string): number {
  const i = XDS_TYPE_ORDER.indexOf(typeUrl);
  return i === -1 ? XDS_TYPE_ORDER.length : i;
}

export function compareTypeUrls(a: string, b: string): number {
  return typeOrderIndex(a) - typeOrderIndex(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Types whose SotW responses carry the full state (a missing resource means deleted), and
 * for which an empty subscription is a wildcard by default.
 */
export function isFullStateType(typeUrl: string): boolean {
  return typeUrl === TYPE_URLS.listener || typeUrl === TYPE_URLS.cluster;
}

/** Content version of encoded bytes: a short, stable hash. */
export function contentVersion(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64url").slice(0, 16);
}

/** Builds a resource from encoded bytes; the version is the content hash unless given. */
export function xdsResource(typeUrl: string, name: string, bytes: Uint8Array, version?: string): XdsResource {
  return { typeUrl, name, bytes, version: version ?? contentVersion(bytes) };
}

/** A version for a set of (name, version) pairs, independent of their order. */
export function setVersion(entries: Iterable<readonly [string, string]>): string {
  const parts: string[] = [];
  for (const [name, version] of entries) parts.push(`${name}\u0000${version}`);
  parts.sort();
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p).update("\u0001");
  return hash.digest("base64url").slice(0, 16);
}
