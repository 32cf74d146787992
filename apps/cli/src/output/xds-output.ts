// `gatehouse translate --output xds`: the Envoy resources of every Gateway, shaped like
// Envoy's own config dump (/config_dump?include_eds) so a user can diff it against a
// running proxy or feed the resources to Envoy. One document per Gateway:
//
//   gateway: ns/name
//   ipFamily: IPv4 | IPv6 | DualStack
//   configs: [ClustersConfigDump, EndpointsConfigDump, ListenersConfigDump, RoutesConfigDump, SecretsConfigDump]
//   failures: [...]   (only when a resource or a part of one failed validation and was left out)
//
// YAML prints one document per Gateway; JSON an array of them, whatever their number.
// version_info is each resource's content hash. Private keys are redacted, as in Envoy's
// dump. Endpoints come from the EndpointSlices in the input.
import type { EndpointSet, GatewayIR, IPFamily } from "@gatehouse/ir";
import { DEFAULT_IP_FAMILY, gatewayKey } from "@gatehouse/ir";
import { aggregateEndpoints, type EndpointSlice } from "@gatehouse/endpoints";
import {
  buildClusterLoadAssignment,
  buildGatewayResources,
  encodeResource,
  redactSecret,
  ResourceValidationError,
  validateGatewayResources,
  type EncodedResource,
  type EnvoyConfig,
  type JsonObject,
  type ValidationFailure,
} from "@gatehouse/xds";
import { stringify } from "yaml";

/** What this output reads of a translation (structurally, TranslationResult of @gatehouse/gatewayapi). */
export interface XdsOutputTranslation {
  irs: GatewayIR[];
}

/** What this output reads of the input objects (structurally, ResourceSet of @gatehouse/gatewayapi). */
export interface XdsOutputResources {
  /** EndpointSlices by "namespace/serviceName", as parsed from the input (checked here). */
  slicesByService: Map<string, readonly unknown[]>;
}

const ADMIN = "type.googleapis.com/envoy.admin.v3.";

export function renderXdsOutput(result: XdsOutputTranslation, resources: XdsOutputResources, format: "yaml" | "json"): string {
  const docs = result.irs.map((ir) => gatewayDump(ir, resources));
  if (format === "json") return `${JSON.stringify(docs, null, 2)}\n`;
  return docs.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join("");
}

/** A Gateway's Envoy resources as the xds-server serves them: built, validated (failing
 * parts cut out) and encoded, with the ClusterLoadAssignments of its clusters. */
export interface GatewayEnvoyResources {
  ipFamily: IPFamily;
  /** Listeners, routes, clusters and secrets that pass validation, encoded. */
  encoded: EncodedResource[];
  endpoints: EncodedResource[];
  failures: JsonObject[];
}

export function gatewayEnvoyResources(ir: GatewayIR, slicesByService: XdsOutputResources["slicesByService"], ipFamily: IPFamily): GatewayEnvoyResources {
  const checked = validateGatewayResources(buildGatewayResources(ir, { ipFamily }));
  const failures: JsonObject[] = checked.failures.map(failureJson);
  const endpoints: EncodedResource[] = [];
  for (const cluster of ir.clusters) {
    const slices = (slicesByService.get(`${cluster.service.namespace}/${cluster.service.name}`) ?? []).filter(isSlice);
    const set: EndpointSet = aggregateEndpoints(slices, cluster.service, ipFamily, cluster.name);
    const cla = buildClusterLoadAssignment(set);
    try {
      endpoints.push(encodeResource(cla.typeUrl, cla.json));
    } catch (err) {
      if (!(err instanceof ResourceValidationError)) throw err;
      failures.push({ resourceName: cla.name, typeUrl: cla.typeUrl, dropped: "resource", issues: [...err.issues] as unknown as JsonObject[] });
    }
  }
  return { ipFamily, encoded: checked.encoded, endpoints, failures };
}

/** The same resources in the shape `gatehouse explain` walks. */
export function explainConfig(resources: GatewayEnvoyResources): EnvoyConfig {
  const of = (suffix: string) => resources.encoded.filter((e) => e.typeUrl.endsWith(suffix)).map((e) => e.json as JsonObject);
  return {
    listeners: of(".Listener"),
    routeConfigurations: of(".RouteConfiguration"),
    clusters: of(".Cluster"),
    loadAssignments: resources.endpoints.map((e) => e.json as JsonObject),
  };
}

function gatewayDump(ir: GatewayIR, resources: XdsOutputResources): JsonObject {
  // translateAndCheck stamps every IR with the configured family (--ip-family).
  const { ipFamily, encoded, endpoints, failures } = gatewayEnvoyResources(ir, resources.slicesByService, ir.ipFamily ?? DEFAULT_IP_FAMILY);
  const byType = (suffix: string) => encoded.filter((e) => e.typeUrl.endsWith(suffix));
  const doc: JsonObject = {
    gateway: gatewayKey(ir.gateway),
    ipFamily,
    configs: [
      {
        "@type": `${ADMIN}ClustersConfigDump`,
        dynamic_active_clusters: byType(".Cluster").map((e) => ({ version_info: e.version, cluster: anyOf(e) })),
      },
      {
        "@type": `${ADMIN}EndpointsConfigDump`,
        dynamic_endpoint_configs: endpoints.map((e) => ({ version_info: e.version, endpoint_config: anyOf(e) })),
      },
      {
        "@type": `${ADMIN}ListenersConfigDump`,
        dynamic_listeners: byType(".Listener").map((e) => ({
          name: e.name,
          active_state: { version_info: e.version, listener: anyOf(e) },
        })),
      },
      {
        "@type": `${ADMIN}RoutesConfigDump`,
        dynamic_route_configs: byType(".RouteConfiguration").map((e) => ({ version_info: e.version, route_config: anyOf(e) })),
      },
      {
        "@type": `${ADMIN}SecretsConfigDump`,
        dynamic_active_secrets: byType(".Secret").map((e) => ({
          name: e.name,
          version_info: e.version,
          secret: anyOf(e, redactSecret),
        })),
      },
    ],
  };
  if (failures.length > 0) doc.failures = failures;
  return doc;
}

/** Parsed manifests are only loosely typed: keep what has the shape of an EndpointSlice. */
function isSlice(obj: unknown): obj is EndpointSlice {
  const o = obj as Partial<EndpointSlice> | null;
  return typeof o?.metadata?.name === "string" && typeof o.addressType === "string";
}

function anyOf(e: EncodedResource, transform: (json: JsonObject) => JsonObject = (j) => j): JsonObject {
  return { "@type": e.typeUrl, ...transform(e.json as JsonObject) };
}

function failureJson(f: ValidationFailure): JsonObject {
  const out: JsonObject = { resourceName: f.resourceName, typeUrl: f.typeUrl, dropped: f.dropped };
  if (f.irName) out.irName = f.irName;
  if (f.source) out.source = { ...f.source };
  if (f.listeners) out.listeners = [...f.listeners];
  if (f.policy) out.policy = f.policy;
  out.issues = f.issues.map((i) => ({ path: i.path, rule: i.rule, message: i.message }));
  return out;
}
