// GRPCRoute (gateway.networking.k8s.io/v1): service/method and header matches, header
// modifier, mirror and extension filters, with every CEL rule of the CRD.
import { headerName, type Channel } from "./fields";
import { filterList, filterTypeFields, headerModifierFor, noRepeatRules, requestMirror } from "./filters";
import { backendRefs, extensionRef, parentRefsFor } from "./refs";
import { UNIQUE_RULE_NAMES, routeHostnames, ruleName, sessionPersistence, totalMatchesRule } from "./route-common";
import { arr, obj, str, type Node } from "./schema";
import { has } from "./cel";

const SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

const methodMatch = obj(
  {
    type: str({ enum: ["Exact", "RegularExpression"] }),
    service: str({ maxLength: 1024 }),
    method: str({ maxLength: 1024 }),
  },
  {
    rules: [
      {
        name: "grpcMethodMatch.service-or-method",
        message: "One or both of 'service' or 'method' must be specified",
        // type defaults to Exact, so after defaulting `has(self.type)` always holds.
        valid: (self) => has(self, "service") || has(self, "method"),
      },
      {
        name: "grpcMethodMatch.service-characters",
        message: "service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)",
        valid: (self) => (self.type ?? "Exact") !== "Exact" || !has(self, "service") || SERVICE.test(self.service as string),
      },
      {
        name: "grpcMethodMatch.method-characters",
        message: "method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)",
        valid: (self) => (self.type ?? "Exact") !== "Exact" || !has(self, "method") || METHOD.test(self.method as string),
      },
    ],
  },
);

const grpcHeaderMatch = obj(
  { type: str({ enum: ["Exact", "RegularExpression"] }), name: headerName, value: str({ minLength: 1, maxLength: 4096 }) },
  { required: ["name", "value"] },
);

const grpcMatch = obj({
  method: methodMatch,
  headers: arr(grpcHeaderMatch, { maxItems: 16, listType: "map", mapKeys: ["name"] }),
});

const GRPC_FILTER_TYPES = ["ResponseHeaderModifier", "RequestHeaderModifier", "RequestMirror", "ExtensionRef"] as const;

const GRPC_FILTER_FIELDS = filterTypeFields([
  ["RequestHeaderModifier", "requestHeaderModifier"],
  ["ResponseHeaderModifier", "responseHeaderModifier"],
  ["RequestMirror", "requestMirror"],
  ["ExtensionRef", "extensionRef"],
]);

/** The standard CRD has no session persistence for gRPC and no rule-name uniqueness rule. */
function grpcRouteSpecFor(channel: Channel): Node {
  const headerModifier = headerModifierFor(channel);
  const filter = obj(
    {
      type: str({ enum: GRPC_FILTER_TYPES }),
      requestHeaderModifier: headerModifier,
      responseHeaderModifier: headerModifier,
      requestMirror,
      extensionRef,
    },
    { required: ["type"], ...GRPC_FILTER_FIELDS },
  );
  const filters = filterList(filter, noRepeatRules(["RequestHeaderModifier", "ResponseHeaderModifier"]));
  const experimental = channel === "experimental";
  const ruleProps: Record<string, Node> = {
    name: ruleName,
    matches: arr(grpcMatch, { maxItems: 64, listType: "atomic" }),
    filters,
    backendRefs: backendRefs(filters),
  };
  if (experimental) ruleProps.sessionPersistence = sessionPersistence;
  const props: Record<string, Node> = {
    parentRefs: parentRefsFor(channel),
    hostnames: routeHostnames,
    rules: arr(obj(ruleProps), {
      maxItems: 16,
      listType: "atomic",
      rules: experimental ? [totalMatchesRule(0), UNIQUE_RULE_NAMES] : [totalMatchesRule(0)],
    }),
  };
  if (experimental) props.useDefaultGateways = str({ enum: ["All", "None"] });
  return obj(props);
}

export const grpcRouteSpec = { standard: grpcRouteSpecFor("standard"), experimental: grpcRouteSpecFor("experimental") };
