// The fields of an Ingress the converter reads, checked for type before it reads them: input
// comes from files and users, and a wrong type is reported as a value, never a crash.
type Check = (v: unknown, at: string) => string | undefined;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const optional =
  (check: Check): Check =>
  (v, at) =>
    v === undefined || v === null ? undefined : check(v, at);
const string: Check = (v, at) => (typeof v === "string" ? undefined : `${at} must be a string`);
const integer: Check = (v, at) => (Number.isInteger(v) ? undefined : `${at} must be an integer`);
const list =
  (item: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return `${at} must be a list`;
    for (let i = 0; i < v.length; i++) {
      const err = item(v[i], `${at}[${i}]`);
      if (err) return err;
    }
    return undefined;
  };
const object =
  (fields: Record<string, Check>): Check =>
  (v, at) => {
    if (!isObj(v)) return `${at} must be a mapping`;
    for (const [k, check] of Object.entries(fields)) {
      const err = check(v[k], `${at}.${k}`);
      if (err) return err;
    }
    return undefined;
  };

const backend = object({
  service: optional(object({ name: optional(string), port: optional(object({ number: optional(integer), name: optional(string) })) })),
  resource: optional(object({ apiGroup: optional(string), kind: optional(string), name: optional(string) })),
});

const spec = object({
  ingressClassName: optional(string),
  defaultBackend: optional(backend),
  rules: optional(
    list(
      object({
        host: optional(string),
        http: optional(object({ paths: optional(list(object({ path: optional(string), pathType: optional(string), backend: optional(backend) }))) })),
      }),
    ),
  ),
  tls: optional(list(object({ hosts: optional(list(string)), secretName: optional(string) }))),
});

const annotations: Check = (v, at) => {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) return `${at} must be a mapping`;
  for (const [k, value] of Object.entries(v)) if (typeof value !== "string") return `${at}["${k}"] must be a string`;
  return undefined;
};

/** Why the Ingress cannot be read, or undefined. */
export function ingressShapeError(ingress: unknown): string | undefined {
  if (!isObj(ingress)) return "not a mapping";
  const meta = ingress.metadata;
  if (isObj(meta)) {
    const err = annotations(meta.annotations, "metadata.annotations") ?? optional(string)(meta.creationTimestamp, "metadata.creationTimestamp");
    if (err) return err;
  }
  return optional(spec)(ingress.spec, "spec");
}
