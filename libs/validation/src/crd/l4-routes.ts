// TCPRoute, UDPRoute and TLSRoute. Their v1 schemas allow a single rule (and TLSRoute
// v1 requires hostnames, with three CEL rules on them); the deprecated v1alpha2 schemas
// still served by the CRDs allow sixteen named rules, so the version matters.
import { hostname, sectionName as ruleName, type Channel } from "./fields";
import { backendRefs, parentRefsFor } from "./refs";
import { UNIQUE_RULE_NAMES } from "./route-common";
import { arr, isIpAddress, obj, str, type Node, type Rule } from "./schema";

const l4Rule = obj({ name: ruleName, backendRefs: backendRefs(undefined, { minItems: 1 }) }, { required: ["backendRefs"] });

const rulesV1 = arr(l4Rule, { minItems: 1, maxItems: 1, listType: "atomic" });
const rulesV1alpha2 = arr(l4Rule, { minItems: 1, maxItems: 16, listType: "atomic", rules: [UNIQUE_RULE_NAMES] });
const useDefaultGateways = str({ enum: ["All", "None"] });

/** The route-level fields every channel has, plus useDefaultGateways in experimental. */
function common(channel: Channel): Record<string, Node> {
  const props: Record<string, Node> = { parentRefs: parentRefsFor(channel) };
  if (channel === "experimental") props.useDefaultGateways = useDefaultGateways;
  return props;
}

function l4Spec(channel: Channel, rules: Node): Node {
  return obj({ ...common(channel), rules }, { required: ["rules"] });
}

export interface VersionedSpecs {
  default: Node;
  [version: string]: Node;
}

function l4Specs(channel: Channel): VersionedSpecs {
  return { default: l4Spec(channel, rulesV1), v1alpha2: l4Spec(channel, rulesV1alpha2) };
}

/** TCPRoute and UDPRoute share one schema. */
export const tcpRouteSpecs = { standard: l4Specs("standard"), experimental: l4Specs("experimental") };
export const udpRouteSpecs = tcpRouteSpecs;

const RFC1123 = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;

const TLS_HOSTNAME_RULES: readonly Rule[] = [
  {
    name: "tlsroute.hostnames.no-ip",
    message: "Hostnames cannot contain an IP",
    valid: (self: unknown[]) => self.every((h) => typeof h !== "string" || !isIpAddress(h)),
  },
  {
    name: "tlsroute.hostnames.rfc1123",
    message: "Hostnames must be valid based on RFC-1123",
    valid: (self: unknown[]) => self.every((h) => typeof h !== "string" || h.includes("*") || RFC1123.test(h)),
  },
  {
    name: "tlsroute.hostnames.wildcard-first-label",
    message: "Wildcards on hostnames must be the first label, and the rest of hostname must be valid based on RFC-1123",
    valid: (self: unknown[]) =>
      self.every((h) => typeof h !== "string" || !h.includes("*") || (h.startsWith("*.") && RFC1123.test(h.slice(2)))),
  },
];

function tlsSpecs(channel: Channel): VersionedSpecs {
  return {
    default: obj(
      {
        ...common(channel),
        hostnames: arr(hostname, { minItems: 1, maxItems: 1024, listType: "atomic", rules: TLS_HOSTNAME_RULES }),
        rules: rulesV1,
      },
      { required: ["hostnames", "rules"] },
    ),
    v1alpha2: obj(
      { ...common(channel), hostnames: arr(hostname, { maxItems: 1024, listType: "atomic" }), rules: rulesV1alpha2 },
      { required: ["rules"] },
    ),
  };
}

export const tlsRouteSpecs = { standard: tlsSpecs("standard"), experimental: tlsSpecs("experimental") };
