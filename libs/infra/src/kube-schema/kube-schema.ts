// Checks that an object parses as its Kubernetes kind, against the OpenAPI model classes
// generated into @kubernetes/client-node (release-1.36): every field must be one the kind
// has, of the right type, and every field the model marks required must be there. The
// package's index cannot load on Node 20 (its undici needs Node 22), so the model files are
// imported one by one; required fields are read from their declarations (`'name': string;`
// against `'image'?: string;`), which is the only place the generator records them.
// Test support: used by the golden and deploy tests, not at run time.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const MODELS = "@kubernetes/client-node/dist/gen/models";

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}

interface Model {
  attributes: Map<string, string>;
  required: string[];
}

const models = new Map<string, Model | undefined>();

async function loadModel(name: string): Promise<Model | undefined> {
  if (models.has(name)) return models.get(name);
  let model: Model | undefined;
  try {
    const file = require.resolve(`${MODELS}/${name}.js`);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, { getAttributeTypeMap(): Attribute[] }>;
    const attributes = new Map(mod[name].getAttributeTypeMap().map((a) => [a.baseName, a.type]));
    const dts = readFileSync(file.replace(/\.js$/, ".d.ts"), "utf8");
    const required = [...dts.matchAll(/^\s+'([^']+)': /gm)].map((m) => m[1]);
    model = { attributes, required };
  } catch {
    model = undefined;
  }
  models.set(name, model);
  return model;
}

/** The model class of a kind: apps/v1 Deployment is V1Deployment, autoscaling/v2 HPA V2HorizontalPodAutoscaler. */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
  return `${version[0].toUpperCase()}${version.slice(1)}${kind}`;
}

/** Problems as `path: message`; empty when the object is a well-formed instance of its kind. */
export async function kubeSchemaErrors(object: { apiVersion?: unknown; kind?: unknown }): Promise<string[]> {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") return ["apiVersion and kind are required"];
  const name = modelName(object.apiVersion, object.kind);
  if (!(await loadModel(name))) return [`${object.apiVersion} ${object.kind}: not a Kubernetes kind (no model ${name})`];
  const out: string[] = [];
  await check(object, name, object.kind, out);
  return out;
}

async function check(value: unknown, type: string, path: string, out: string[]): Promise<void> {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return void out.push(`${path}: must be an array`);
    for (let i = 0; i < value.length; i++) await check(value[i], array[1], `${path}[${i}]`, out);
  } else if (map) {
    if (!isRecord(value)) return void out.push(`${path}: must be a map`);
    for (const [k, v] of Object.entries(value)) await check(v, map[1], `${path}[${k}]`, out);
  } else if (type === "any") {
    return;
  } else if (type === "string" || type === "Date") {
    if (typeof value !== "string") out.push(`${path}: must be a string, got ${JSON.stringify(value)}`);
  } else if (type === "number") {
    if (typeof value !== "number") out.push(`${path}: must be a number, got ${JSON.stringify(value)}`);
  } else if (type === "boolean") {
    if (typeof value !== "boolean") out.push(`${path}: must be a boolean, got ${JSON.stringify(value)}`);
  } else if (type === "IntOrString") {
    if (typeof value !== "string" && !Number.isInteger(value)) out.push(`${path}: must be an integer or a string`);
  } else {
    const model = await loadModel(type);
    if (!model) return void out.push(`${path}: unknown model type ${type}`);
    if (!isRecord(value)) return void out.push(`${path}: must be an object (${type})`);
    for (const field of model.required) if (value[field] === undefined || value[field] === null) out.push(`${path}.${field}: required`);
    for (const [k, v] of Object.entries(value)) {
      const fieldType = model.attributes.get(k);
      if (fieldType === undefined) out.push(`${path}.${k}: unknown field of ${type}`);
      else await check(v, fieldType, `${path}.${k}`, out);
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
