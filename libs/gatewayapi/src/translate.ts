// translate(): resources in, per-Gateway IR and status out. Pure: no I/O, no clock, no
// globals, so equal input gives byte-identical output. Processors run in a fixed order, each
// adding to one graph; statuses and IR are read from the graph at the end.
import type { GatewayIR } from "@gatehouse/ir";
import { admitResources, type Diagnostic } from "./admission";
import { BackendTLSPolicies } from "./backend-tls-policies";
import { emitGatewayIR } from "./emit-ir";
import type { TranslationGraph } from "./graph";
import { processGatewayClasses } from "./processors/gateway-classes";
import { finishGateways, processGateways } from "./processors/gateways";
import { processListenerSets } from "./processors/listener-sets";
import { processGRPCRoutes } from "./processors/grpc-routes";
import { processHTTPRoutes } from "./processors/http-routes";
import { processTCPRoutes, processTLSRoutes, processUDPRoutes } from "./processors/l4-routes";
import { processRouteOverlaps } from "./processors/route-overlaps";
import { sortedRoutes } from "./parent-refs";
import { ReferenceGrants } from "./reference-grants";
import type { ResourceSet } from "./resource-set";
import { collectStatuses, type StatusUpdate } from "./statuses";

export interface TranslateOptions {
  /** GatewayClasses with this spec.controllerName are ours. */
  controllerName: string;
  /**
   * Report BackendsAvailable=False for Services without endpoints. Defaults to true when the
   * resources carry EndpointSlices (the CLI), false otherwise (the translator service, where
   * endpoints take their own path).
   */
  checkEndpoints?: boolean;
}

export interface TranslationResult {
  /** One IR per accepted Gateway, sorted by namespace/name. */
  irs: GatewayIR[];
  statuses: StatusUpdate[];
  /** Objects left out of translation because they are malformed (Event-like; print or record them). */
  diagnostics: Diagnostic[];
}

type Processor = (graph: TranslationGraph) => void;

/** The processors, in the order they must run. */
export const PROCESSORS: readonly Processor[] = [
  processGatewayClasses,
  processGateways,
  processListenerSets,
  finishGateways,
  processHTTPRoutes,
  processGRPCRoutes,
  processTLSRoutes,
  processTCPRoutes,
  processUDPRoutes,
  processRouteOverlaps,
];

export function translate(input: ResourceSet, options: TranslateOptions): TranslationResult {
  // First the door: a malformed object is reported and treated as absent, never read.
  const { resources, diagnostics } = admitResources(input);
  const graph: TranslationGraph = {
    controllerName: options.controllerName,
    resources,
    grants: new ReferenceGrants(resources),
    checkEndpoints: options.checkEndpoints ?? resources.endpointSlices.size > 0,
    gateways: new Map(),
    listenerSets: new Map(),
    routes: [],
    clusters: new Map(),
    secrets: new Map(),
    classes: new Map(),
    policies: new BackendTLSPolicies(resources),
    routeOrder: new Map(),
    namespaceLabels: new Map(),
  };
  // Across HTTPRoutes and GRPCRoutes: the spec breaks precedence ties by age, then name.
  sortedRoutes([...resources.httpRoutes.values(), ...resources.grpcRoutes.values()]).forEach((obj, i) => graph.routeOrder.set(obj, i));
  for (const process of PROCESSORS) process(graph);
  const irs = [...graph.gateways.values()].filter((gw) => gw.accepted).map((gw) => emitGatewayIR(graph, gw));
  return { irs, statuses: collectStatuses(graph), diagnostics };
}


/** Re-exported for the callers of translate(); defined once in libs/kube. */
export { DEFAULT_CONTROLLER_NAME } from "@gatehouse/kube";
