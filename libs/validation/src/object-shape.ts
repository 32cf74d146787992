// The door check: is an object shaped as its kind says (a list where a list belongs, a number
// where a number belongs)? Translation reads objects on trust once they pass, so everything
// that would make a reader throw is caught here. An API server never admits such objects;
// the file provider and hand-written fixtures can hold them. Only types are checked: values
// that are merely invalid (a bad pattern, a CEL rule) are translation's to report as status.
import { checkAt, dict, int, isObject, obj, arr, str, bool, pathOf, type Node, type Violation } from "./crd/schema";
import { validateObject, SUPPORTED_KINDS, type GatewayApiObject } from "./crd/validate-object";

const anyString = str();
const anyInt = int({ format: "int64" });
const stringMap = dict(anyString);

/** Kubernetes IntOrString (Service targetPort). */
const intOrString: Node = (v, ctx) => {
  if (typeof v === "string" || (typeof v === "number" && Number.isInteger(v))) return;
  const path = pathOf(ctx);
  ctx.out.push({ path, message: `Invalid value: ${JSON.stringify(v)}: ${path} must be an integer or a string`, reason: "FieldValueTypeInvalid", rule: "type" });
};

const metadata = obj({
  name: anyString,
  namespace: anyString,
  generateName: anyString,
  uid: anyString,
  resourceVersion: anyString,
  generation: anyInt,
  creationTimestamp: anyString,
  labels: stringMap,
  annotations: stringMap,
});

const objectReference = obj({ kind: anyString, name: anyString, namespace: anyString, uid: anyString });

/** The fields of the core kinds anything in Gatehouse reads, by kind, at the object's top level. */
const CORE_KINDS: Record<string, Record<string, Node>> = {
  Service: {
    spec: obj({
      type: anyString,
      clusterIP: anyString,
      clusterIPs: arr(anyString),
      externalName: anyString,
      ipFamilies: arr(anyString),
      ipFamilyPolicy: anyString,
      selector: stringMap,
      ports: arr(obj({ name: anyString, port: anyInt, targetPort: intOrString, nodePort: anyInt, protocol: anyString, appProtocol: anyString })),
    }),
  },
  EndpointSlice: {
    addressType: anyString,
    endpoints: arr(
      obj({
        addresses: arr(anyString),
        conditions: obj({ ready: bool(), serving: bool(), terminating: bool() }),
        hostname: anyString,
        nodeName: anyString,
        zone: anyString,
        targetRef: objectReference,
      }),
    ),
    ports: arr(obj({ name: anyString, port: anyInt, protocol: anyString, appProtocol: anyString })),
  },
  Secret: { type: anyString, data: stringMap, stringData: stringMap, immutable: bool() },
  ConfigMap: { data: stringMap, binaryData: stringMap, immutable: bool() },
  Namespace: { spec: obj({ finalizers: arr(anyString) }) },
};

const CORE_NODES: Record<string, Node> = Object.fromEntries(Object.entries(CORE_KINDS).map(([kind, props]) => [kind, obj(props)]));

/** Kinds whose shape shapeViolations knows (the Gateway API kinds and the core kinds above). */
export const SHAPED_KINDS: readonly string[] = [...SUPPORTED_KINDS, ...Object.keys(CORE_KINDS)];

/**
 * The type errors in one object: wrong types anywhere in metadata, in the fields the core
 * kinds are read for, or anywhere in a Gateway API object's spec. Empty means every reader
 * may trust the types. Never throws, whatever the input.
 */
export function shapeViolations(object: unknown): Violation[] {
  const out: Violation[] = [];
  if (!isObject(object)) {
    out.push({ path: "", message: "object must be a mapping with apiVersion, kind and metadata", reason: "FieldValueTypeInvalid", rule: "type" });
    return out;
  }
  checkAt(obj({ apiVersion: anyString, kind: anyString, metadata }), object, "", out);
  const kind = typeof object.kind === "string" ? object.kind : "";
  const core = Object.hasOwn(CORE_NODES, kind) ? CORE_NODES[kind] : undefined;
  if (core) {
    checkAt(core, object, "", out);
  } else if (SUPPORTED_KINDS.includes(kind) && object.spec !== undefined && object.spec !== null) {
    // Everything else validateObject says (patterns, CEL, required fields) stays translation's.
    for (const v of validateObject(object as unknown as GatewayApiObject)) if (v.reason === "FieldValueTypeInvalid") out.push(v);
  }
  return dedupe(out);
}

/** metadata is checked by both passes for Gateway API kinds; report each path once. */
function dedupe(list: Violation[]): Violation[] {
  const seen = new Set<string>();
  return list.filter((v) => {
    if (seen.has(v.path)) return false;
    seen.add(v.path);
    return true;
  });
}
