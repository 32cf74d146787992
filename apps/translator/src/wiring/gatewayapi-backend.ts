// The translator engine's view of libs/gatewayapi. Retranslating a set of Gateways means
// translating the objects those Gateways read (their dependency closure, which
// gatewayDependencies() makes generous on purpose) plus every GatewayClass; the result for
// those Gateways is the same as a translation of everything, at a fraction of the cost.
import {
  gatewayDependencies,
  resourceSetFrom,
  translate,
  type KubeObject,
  type ResourceSet,
} from "@gatehouse/gatewayapi";
import { gatewayKey } from "@gatehouse/ir";
import type { EngineObject, TranslationBackend, TranslationResult } from "../engine/translation-engine";
import type { ObjectStatus } from "../engine/status-book";

export interface GatewayApiBackendOptions {
  controllerName: string;
  /** Called with the time each translate() took, for the metrics. */
  onTranslate?: (seconds: number, gateways: number) => void;
}

const GROUP_OF_API_VERSION = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");

export function gatewayApiBackend(opts: GatewayApiBackendOptions): TranslationBackend {
  let deps = new Map<string, Set<string>>();
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
      const statuses: ObjectStatus[] = result.statuses.map((s) => {
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
