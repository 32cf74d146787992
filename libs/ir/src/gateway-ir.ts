// The intermediate representation (IR) of one Gateway: what Envoy must do, with every
// Gateway API decision already made. libs/gatewayapi produces it; libs/xds turns it into
// Envoy resources. Backends name a Service port, never addresses: endpoints join in the
// xds-server (see libs/endpoints), so an endpoint change never needs a new IR.
import type { Cluster } from "./cluster";
import type { Listener } from "./listener";
import type { Infrastructure } from "./infrastructure";
import type { TLSSecret } from "./tls";

/** Bumped when the IR changes shape in a way older readers cannot understand. */
export const IR_SCHEMA_VERSION = 1;

export interface NamespacedName {
  namespace: string;
  name: string;
}

/** IP family of the proxies of a Gateway: decides listener addresses and endpoint picking. */
export type IPFamily = "IPv4" | "IPv6" | "DualStack";

/**
 * The proxies' IP family when nothing configures one: the default of the translator's and
 * `gatehouse translate`'s `--ip-family`, and what the xds-server assumes for an IR written
 * before the family was carried in the IR.
 */
export const DEFAULT_IP_FAMILY: IPFamily = "DualStack";

/** The IP families, for flag validation. */
export const IP_FAMILIES: readonly IPFamily[] = ["IPv4", "IPv6", "DualStack"];

export interface GatewayIR {
  schemaVersion: number;
  gateway: NamespacedName;
  /** GatewayClass the Gateway belongs to. */
  gatewayClassName: string;
  /**
   * The proxies' IP family, decided once by the translator from its configuration (set on
   * every IR it publishes). Absent only in IRs of older translators: DEFAULT_IP_FAMILY.
   */
  ipFamily?: IPFamily;
  /** One entry per Envoy listener: a (port, transport) pair, sorted by port then transport. */
  listeners: Listener[];
  /** Every cluster that a route or listener of this Gateway uses, sorted by name, no duplicates. */
  clusters: Cluster[];
  /** Certificates and keys of terminating listeners, sorted by name. */
  secrets: TLSSecret[];
  infrastructure: Infrastructure;
}

/** "namespace/name", the key of a Gateway everywhere (bus keys, `node.cluster` of its proxies). */
export function gatewayKey(ref: NamespacedName): string {
  return `${ref.namespace}/${ref.name}`;
}

export function parseGatewayKey(key: string): NamespacedName {
  const slash = key.indexOf("/");
  if (slash <= 0 || slash === key.length - 1) throw new Error(`invalid gateway key ${JSON.stringify(key)}`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
