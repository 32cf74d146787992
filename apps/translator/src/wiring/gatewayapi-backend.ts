// The translator engine's view of libs/gatewayapi. Retranslating a set of Gateways means
// translating the objects those Gateways read (their dependency closure, which
// gatewayDependencies() makes generous on purpose) plus every GatewayClass; the result for
// those Gateways is the same as a translation of everything, at a fraction of the cost.
import {
  boundStatusLists,
  gatewayDependencies,
  resourceSetFrom,
  type Diagnostic,
  type KubeObject,
  type ResourceSet,
  type XdsFailureRecord,
} from "@gatehouse/gatewayapi";
import { DEFAULT_IP_FAMILY, type IPFamily } from "@gatehouse/ir";
import { apiGroup } from "@gatehouse/kube";
import type { Logger } from "pino";
import { translateAndCheck, XdsChecker } from "@gatehouse/xds";
import type { EngineObject, TranslationBackend, TranslationResult } from "../engine/translation-engine";
import type { ObjectStatus } from "../engine/status-book";

export interface GatewayApiBackendOptions {
  controllerName: string;
  /** The proxies' IP family, written into every IR (the xds-server reads it from there). */
  ipFamily?: IPFamily;
  /** Called with the time each translate() took (including the xDS check), for the metrics. */
  onTranslate?: (seconds: number, gateways: number) => void;
  /** Called with what Envoy would reject of a Gateway's IR, after it was folded into statuses. */
  onXdsFailures?: (gateway: string, failures: readonly XdsFailureRecord[]) => void;
  /** Where a malformed object (admitted as absent by translate()) is warned about. */
  logger?: Logger;
}

export function gatewayApiBackend(opts: GatewayApiBackendOptions): TranslationBackend {
  let deps = new Map<string, Set<string>>();
  const ipFamily = opts.ipFamily ?? DEFAULT_IP_FAMILY;
  const checker = new XdsChecker(ipFamily);
  // The message last warned about per malformed object: retranslations that read the same
  // broken object again do not repeat it; a fix, or a new problem, is said again.
  const warned = new Map<string, string>();
  return {
    dependencies(objects) {
      const set: ResourceSet = resourceSetFrom(objects.values() as Iterable<KubeObject>);
      deps = new Map([...gatewayDependencies(set)].map(([gw, ids]) => [gw, new Set(ids)]));
      return deps;
    },
    translate(objects, gateways): TranslationResult {
      const started = performance.now();
      const everything = gateways.length >= deps.size;
      let input: EngineObject[] = [...objects.values()];
      if (!everything) {
        const ids = new Set<string>();
        for (const gw of gateways) for (const id of deps.get(gw) ?? []) ids.add(id);
        const subset: EngineObject[] = [];
        // Every class is translated (its status comes with every translation), and so are the
        // ProxyConfigs its parametersRef may name, or a class none of whose Gateways is in the
        // subset would read as InvalidParameters ("not found").
        for (const [id, obj] of objects) if (ids.has(id) || obj.kind === "GatewayClass" || obj.kind === "ProxyConfig") subset.push(obj);
        input = subset;
      }
      const wanted = new Set(gateways);
      const { irs, statuses: checked, diagnostics } = translateAndCheck(resourceSetFrom(input as Iterable<KubeObject>), {
        controllerName: opts.controllerName,
        checkEndpoints: false,
        ipFamily,
        checker,
        gateways: wanted,
        onXdsFailures: opts.onXdsFailures,
      });
      for (const gw of gateways) if (!irs.has(gw)) checker.forget(gw);
      reportDiagnostics(diagnostics, input, warned, opts.logger);
      const statuses: ObjectStatus[] = checked.map((s) => {
        const obj = objects.get(`${s.kind}/${s.namespace ?? ""}/${s.name}`);
        const generation = Number((obj?.metadata as { generation?: number } | undefined)?.generation ?? 0);
        return {
          ref: { group: apiGroup(s.apiVersion), kind: s.kind, namespace: s.namespace ?? "", name: s.name },
          observedGeneration: generation,
          status: s.status,
        };
      });
      opts.onTranslate?.((performance.now() - started) / 1000, gateways.length);
      return { irs, statuses };
    },
    boundStatus(status, obj): ObjectStatus {
      // Entries other controllers hold on the live object take room first (the status writer keeps them).
      const live = (obj as { status?: Record<string, unknown> }).status;
      const list = live?.parents ?? live?.ancestors;
      const foreign = Array.isArray(list) ? list.filter((e) => (e as { controllerName?: string } | null)?.controllerName !== opts.controllerName).length : 0;
      const bounded = boundStatusLists(status.status, {
        controllerName: opts.controllerName,
        namespace: status.ref.namespace,
        generation: status.observedGeneration,
        foreign,
      });
      return bounded === status.status ? status : { ...status, status: bounded };
    },
  };
}

/** One warn line per malformed object whose problem is new since the last translation that read it. */
function reportDiagnostics(diagnostics: readonly Diagnostic[], input: Iterable<EngineObject>, warned: Map<string, string>, logger: Logger | undefined): void {
  const now = new Map(diagnostics.map((d) => [`${d.kind}/${d.namespace}/${d.name}`, d]));
  for (const obj of input) {
    const key = `${obj.kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
    if (!now.has(key)) warned.delete(key);
  }
  for (const [key, d] of now) {
    if (warned.get(key) === d.message) continue;
    warned.set(key, d.message);
    logger?.warn({ kind: d.kind, namespace: d.namespace, name: d.name, reason: d.reason }, d.message);
  }
}
