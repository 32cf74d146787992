// References shared by the route kinds and policies: parentRefs (with their two CEL
// rules on repeated parents), backend object references (with "Must have port for
// Service reference"), extension and secret references.
import { field, has, strOr } from "./cel";
import { group, kind, namespace, objectName, portNumber, sectionName, type Channel } from "./fields";
import { arr, int, obj, type Node, type Rule } from "./schema";

const GATEWAY_GROUP = "gateway.networking.k8s.io";

export const parentRef = obj(
  { group, kind, namespace, name: objectName, sectionName, port: portNumber },
  { required: ["name"] },
);

function emptyString(o: unknown, key: string): boolean {
  return !has(o, key) || field(o, key) === "";
}

function unsetPort(o: unknown): boolean {
  return !has(o, "port") || field(o, "port") === 0;
}

function sameParent(p1: unknown, p2: unknown): boolean {
  if (strOr(p1, "group", GATEWAY_GROUP) !== strOr(p2, "group", GATEWAY_GROUP)) return false;
  if (strOr(p1, "kind", "Gateway") !== strOr(p2, "kind", "Gateway")) return false;
  if (field(p1, "name") !== field(p2, "name")) return false;
  // Namespaces are compared as written: unset and "" are alike, unset and the route's own
  // namespace are not (the CRD cannot know the route's namespace).
  const n1 = emptyString(p1, "namespace");
  const n2 = emptyString(p2, "namespace");
  return (n1 && n2) || (has(p1, "namespace") && has(p2, "namespace") && field(p1, "namespace") === field(p2, "namespace"));
}

function sameSection(p1: unknown, p2: unknown): boolean {
  return (
    (emptyString(p1, "sectionName") && emptyString(p2, "sectionName")) ||
    (has(p1, "sectionName") && has(p2, "sectionName") && field(p1, "sectionName") === field(p2, "sectionName"))
  );
}

function samePort(p1: unknown, p2: unknown): boolean {
  return (unsetPort(p1) && unsetPort(p2)) || (has(p1, "port") && has(p2, "port") && field(p1, "port") === field(p2, "port"));
}

const PARENT_REFS_RULES: readonly Rule[] = [
  {
    name: "parentRefs.section-or-port-when-repeated",
    message: "sectionName or port must be specified when parentRefs includes 2 or more references to the same parent",
    valid: (self: unknown[]) => {
      if (self.length < 2) return true;
      for (const p1 of self) {
        for (const p2 of self) {
          if (!sameParent(p1, p2)) continue;
          if (emptyString(p1, "sectionName") !== emptyString(p2, "sectionName")) return false;
          if (unsetPort(p1) !== unsetPort(p2)) return false;
        }
      }
      return true;
    },
  },
  {
    name: "parentRefs.unique-section-or-port",
    message: "sectionName or port must be unique when parentRefs includes 2 or more references to the same parent",
    valid: (self: unknown[]) => {
      if (self.length < 2) return true;
      for (const p1 of self) {
        let n = 0;
        for (const p2 of self) if (sameParent(p1, p2) && sameSection(p1, p2) && samePort(p1, p2)) n++;
        if (n !== 1) return false;
      }
      return true;
    },
  },
];

/** The standard channel's rules ignore `port` (an experimental addition to them). */
const PARENT_REFS_RULES_STANDARD: readonly Rule[] = [
  {
    name: "parentRefs.section-when-repeated",
    message: "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
    valid: (self: unknown[]) => {
      if (self.length < 2) return true;
      for (const p1 of self) {
        for (const p2 of self) {
          if (sameParent(p1, p2) && emptyString(p1, "sectionName") !== emptyString(p2, "sectionName")) return false;
        }
      }
      return true;
    },
  },
  {
    name: "parentRefs.unique-section",
    message: "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
    valid: (self: unknown[]) => {
      if (self.length < 2) return true;
      for (const p1 of self) {
        let n = 0;
        for (const p2 of self) if (sameParent(p1, p2) && sameSection(p1, p2)) n++;
        if (n !== 1) return false;
      }
      return true;
    },
  },
];

const parentRefs = arr(parentRef, { maxItems: 32, listType: "atomic", rules: PARENT_REFS_RULES });
const parentRefsStandard = arr(parentRef, { maxItems: 32, listType: "atomic", rules: PARENT_REFS_RULES_STANDARD });

export function parentRefsFor(channel: Channel): Node {
  return channel === "standard" ? parentRefsStandard : parentRefs;
}

const SERVICE_PORT_RULE: Rule = {
  name: "backendRef.port-for-service",
  message: "Must have port for Service reference",
  valid: (self) => !(strOr(self, "group", "") === "" && strOr(self, "kind", "Service") === "Service") || has(self, "port"),
};

const backendObjectRefProps: Record<string, Node> = { group, kind, name: objectName, namespace, port: portNumber };

/** BackendObjectReference (mirror targets, external auth backends). */
export const backendObjectRef = obj(backendObjectRefProps, { required: ["name"], rules: [SERVICE_PORT_RULE] });

export const weight = int({ minimum: 0, maximum: 1_000_000 });

/** A route backendRef; HTTP and gRPC routes pass their own per-backend filters. */
export function backendRef(filters?: Node): Node {
  const props: Record<string, Node> = { ...backendObjectRefProps, weight };
  if (filters) props.filters = filters;
  return obj(props, { required: ["name"], rules: [SERVICE_PORT_RULE] });
}

export const backendRefs = (filters?: Node, opts: { minItems?: number } = {}): Node =>
  arr(backendRef(filters), { maxItems: 16, minItems: opts.minItems, listType: "atomic" });

/** LocalObjectReference with all three fields required (ExtensionRef filters). */
export const extensionRef = obj({ group, kind, name: objectName }, { required: ["group", "kind", "name"] });

/** SecretObjectReference (certificateRefs and similar). */
export const secretObjectRef = obj({ group, kind, name: objectName, namespace }, { required: ["name"] });

/** ObjectReference with group and kind required (CA certificate references). */
export const objectRefGroupKindName = obj({ group, kind, name: objectName, namespace }, { required: ["group", "kind", "name"] });

export const localObjectRefGroupKindName = obj({ group, kind, name: objectName }, { required: ["group", "kind", "name"] });
