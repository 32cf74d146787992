// The translator engine's view of libs/gatewayapi. Retranslating a set of Gateways means
// translating the objects those Gateways read (their dependency closure, which
// gatewayDependencies() makes generous on purpose) plus every GatewayClass; the result for
// those Gateways is the same as a translation of everything, at a fraction of the cost.
import {
  applyXdsFailures,
  gatewayDependencies,
  resourceSetFrom,
  translate,
  type KubeObject,
  type ResourceSet,
  type StatusUpdate,
  type XdsFailureRecord,
} from "@gatehouse/gatewayapi";
import { gatewayKey, type GatewayIR, type IPFamily } from "@gatehouse/ir";
import { XdsChecker } from "./xds-check";
import type { EngineObject, TranslationBackend, TranslationResult } from "../engine/translation-engine";
import type { ObjectStatus } from "../engine/status-book";

export interface GatewayApiBackendOptions {
  controllerName: string;
  /** Proxies' IP family when a Gateway's IR does not set one (as the xds-server's --ip-family). */
  ipFamily?: IPFamily;
  /** Called with the time each translate() took (including the xDS check), for the metrics. */
  onTranslate?: (seconds: number, gateways: number) => void;
  /** Called with what Envoy would reject of a Gateway's IR, after it was folded into statuses. */
  onXdsFailures?: (gateway: string, failures: readonly XdsFailureRecord[]) => void;
}

const GROUP_OF_API_VERSION = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");

export function gatewayApiBackend(opts: GatewayApiBackendOptions): TranslationBackend {
  let deps = new Map<string, Set<string>>();
  const checker = new XdsChecker(opts.ipFamily ?? "DualStack");
  return {
    dependencies(objects) {
      const set: ResourceSet = resourceSetFrom(objects.values() as Iterable<KubeObject>);
      deps = new Map([...gatewayDependencies(set)].map(([gw, ids]) => [gw, new Set(ids)]));
      return deps;
    },
    translate(objects, gateways): TranslationResult {
      const started = performance.now();
      const everything = gateways.length >= deps.size;
      let input: Iterable<EngineObject> = objects.values();
      if (!everything) {
        const ids = new Set<string>();
        for (const gw of gateways) for (const id of deps.get(gw) ?? []) ids.add(id);
        const subset: EngineObject[] = [];
        for (const [id, obj] of objects) if (ids.has(id) || obj.kind === "GatewayClass") subset.push(obj);
        input = subset;
      }
      const result = translate(resourceSetFrom(input as Iterable<KubeObject>), {
        controllerName: opts.controllerName,
        checkEndpoints: false,
      });
      const wanted = new Set(gateways);
      const irs = new Map(result.irs.map((ir) => [gatewayKey(ir.gateway), ir] as const).filter(([k]) => wanted.has(k)));
      for (const gw of gateways) if (!irs.has(gw)) checker.forget(gw);
      const checked = withXdsFailures(result.statuses, irs, objects, checker, opts);
      const statuses: ObjectStatus[] = checked.map((s) => {
        const obj = objects.get(`${s.kind}/${s.namespace ?? ""}/${s.name}`);
        const generation = Number((obj?.metadata as { generation?: number } | undefined)?.generation ?? 0);
        return {
          ref: { group: GROUP_OF_API_VERSION(s.apiVersion), kind: s.kind, namespace: s.namespace ?? "", name: s.name },
          observedGeneration: generation,
          status: s.status,
        };
      });
      opts.onTranslate?.((performance.now() - started) / 1000, gateways.length);
      return { irs, statuses };
    },
  };
}

/**
 * Envoy's rules before publishing: each Gateway's IR is built and validated exactly as the
 * xds-server will (which cuts out what fails), and the failures are folded into the
 * statuses, so a route, listener or policy Envoy would reject says why in its status. Only
 * routes not seen before are validated (XdsChecker); the Envoy protos load once, on the
 * first IR.
 */
function withXdsFailures(
  statuses: StatusUpdate[],
  irs: ReadonlyMap<string, GatewayIR>,
  objects: ReadonlyMap<string, EngineObject>,
  checker: XdsChecker,
  opts: GatewayApiBackendOptions,
): StatusUpdate[] {
  const failures = new Map<string, XdsFailureRecord[]>();
  for (const [gw, ir] of irs) {
    const found = checker.check(gw, ir);
    if (found.length === 0) continue;
    failures.set(gw, found);
    opts.onXdsFailures?.(gw, found);
  }
  if (failures.size === 0) return statuses;
  return applyXdsFailures(statuses, failures, {
    controllerName: opts.controllerName,
    ruleCount: (kind, namespace, name) => {
      const rules = (objects.get(`${kind}/${namespace}/${name}`)?.spec as { rules?: unknown[] } | undefined)?.rules;
      return Array.isArray(rules) ? rules.length : undefined;
    },
  });
}
