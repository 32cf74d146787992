// The one path from Gateway API objects to what is published: translate, stamp each IR with
// the proxies' IP family (decided once, from configuration, and carried in the IR so the
// xds-server never needs a flag of its own), build and check each Gateway's xDS resources
// against Envoy's rules exactly as the xds-server will (XdsChecker), and fold what Envoy would
// reject into the statuses. The translator service and `gatehouse translate` both call it.
// It lives here, not in libs/gatewayapi, so that pure translation (the ingress converter, the
// translate benchmark) does not load Envoy's protos (about 140 MiB).
import { gatewayKey, type GatewayIR, type IPFamily } from "@gatehouse/ir";
import {
  applyXdsFailures,
  type Diagnostic,
  translate,
  type ResourceSet,
  type StatusUpdate,
  type TranslateOptions,
  type XdsFailureRecord,
} from "@gatehouse/gatewayapi";
import { XdsChecker } from "./xds-check";

export interface TranslateAndCheckOptions extends TranslateOptions {
  /** The proxies' IP family, written into every IR that does not set one. */
  ipFamily: IPFamily;
  /** A checker kept across calls remembers validated routes (the translator); default: a fresh one. */
  checker?: XdsChecker;
  /** Only these Gateways ("namespace/name") are checked and returned; default: all. */
  gateways?: ReadonlySet<string>;
  /** Called with what Envoy would reject of a Gateway's IR (before it is folded into statuses). */
  onXdsFailures?: (gateway: string, failures: readonly XdsFailureRecord[]) => void;
}

export interface CheckedTranslation {
  /** The IRs of the Gateways asked for, by "namespace/name", each with its ipFamily set. */
  irs: Map<string, GatewayIR>;
  /** Every status of the translation, with the xDS failures folded in. */
  statuses: StatusUpdate[];
  /** The translation's diagnostics: malformed objects, left out as if absent. */
  diagnostics: Diagnostic[];
}

export function translateAndCheck(resources: ResourceSet, opts: TranslateAndCheckOptions): CheckedTranslation {
  const result = translate(resources, { controllerName: opts.controllerName, checkEndpoints: opts.checkEndpoints });
  const checker = opts.checker ?? new XdsChecker(opts.ipFamily);
  const irs = new Map<string, GatewayIR>();
  for (const ir of result.irs) {
    const key = gatewayKey(ir.gateway);
    if (!opts.gateways || opts.gateways.has(key)) irs.set(key, ir.ipFamily ? ir : { ...ir, ipFamily: opts.ipFamily });
  }
  const failures = new Map<string, XdsFailureRecord[]>();
  for (const [gw, ir] of irs) {
    const found = checker.check(gw, ir);
    if (found.length === 0) continue;
    failures.set(gw, found);
    opts.onXdsFailures?.(gw, found);
  }
  if (failures.size === 0) return { irs, statuses: result.statuses, diagnostics: result.diagnostics };
  const routes: Record<string, ReadonlyMap<string, { spec?: unknown }>> = {
    HTTPRoute: resources.httpRoutes,
    GRPCRoute: resources.grpcRoutes,
    TLSRoute: resources.tlsRoutes,
    TCPRoute: resources.tcpRoutes,
    UDPRoute: resources.udpRoutes,
  };
  const statuses = applyXdsFailures(result.statuses, failures, {
    controllerName: opts.controllerName,
    ruleCount: (kind, namespace, name) => {
      const rules = (routes[kind]?.get(`${namespace}/${name}`)?.spec as { rules?: unknown[] } | undefined)?.rules;
      return Array.isArray(rules) ? rules.length : undefined;
    },
  });
  return { irs, statuses, diagnostics: result.diagnostics };
}
