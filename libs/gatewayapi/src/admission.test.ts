import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifest } from "@gatehouse/kube";
import { resourceSetFrom, translate, type KubeObject } from "./index";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata");
const CONTROLLER = "gatehouse.dev/gatewayclass-controller";

function fixture(name: string): KubeObject[] {
  const parsed = parseManifest(readFileSync(path.join(dir, name), "utf8"), name);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error.message}`);
  return parsed.objects;
}

/** Every path to a value inside an object (kind and apiVersion excepted: they pick the index). */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (at.length > 0 || (k !== "kind" && k !== "apiVersion")) out.push(...paths(v, [...at, k]));
  }
  return out;
}

/** A value of another JSON type than `v`. */
function wrongType(v: unknown): unknown {
  if (typeof v === "string") return 7;
  if (typeof v === "number") return "seven";
  if (typeof v === "boolean") return "yes";
  if (Array.isArray(v)) return "not-a-list";
  return ["not", "a", "mapping"];
}

function mutate(obj: KubeObject, at: (string | number)[]): KubeObject {
  const copy = structuredClone(obj);
  let node = copy as Record<string | number, unknown>;
  for (const seg of at.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  node[last] = wrongType(node[last]);
  return copy;
}

const gatewayKeys = (objects: KubeObject[]) =>
  translate(resourceSetFrom(objects), { controllerName: CONTROLLER }).irs.map((ir) => `${ir.gateway.namespace}/${ir.gateway.name}`);

describe("admission: malformed objects", () => {
  it("reports a Service whose ports is not a list and translates the rest as if it were absent", () => {
    const objects = fixture("backends.in.yaml");
    const i = objects.findIndex((o) => o.kind === "Service");
    const bad = { ...objects[i], spec: { ports: "8080" } } as KubeObject;
    const broken = translate(resourceSetFrom([...objects.slice(0, i), bad, ...objects.slice(i + 1)]), { controllerName: CONTROLLER });
    const absent = translate(resourceSetFrom([...objects.slice(0, i), ...objects.slice(i + 1)]), { controllerName: CONTROLLER });
    const ns = bad.metadata?.namespace ?? "default";
    expect(broken.diagnostics).toEqual([
      {
        type: "Warning",
        reason: "MalformedObject",
        kind: "Service",
        namespace: ns,
        name: bad.metadata!.name,
        message: `Service ${ns}/${bad.metadata!.name} is malformed and ignored: spec.ports: Invalid value: "string": spec.ports must be of type array`,
      },
    ]);
    expect(broken.statuses).toEqual(absent.statuses);
    expect(broken.irs).toEqual(absent.irs);
  });

  it("drops an EndpointSlice of the wrong shape from its Service's slices", () => {
    const objects = fixture("backends.in.yaml");
    const slice: KubeObject = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { namespace: "default", name: "bad", labels: { "kubernetes.io/service-name": "web" } },
      endpoints: { addresses: ["10.0.0.1"] },
    };
    const result = translate(resourceSetFrom([...objects, slice]), { controllerName: CONTROLLER });
    expect(result.diagnostics.map((d) => [d.kind, d.name])).toEqual([["EndpointSlice", "bad"]]);
    expect(result.diagnostics[0].message).toContain("endpoints: Invalid value");
  });

  it("keeps well-formed input untouched (no diagnostics, the same set)", () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".in.yaml"))) {
      expect(translate(resourceSetFrom(fixture(file)), { controllerName: CONTROLLER }).diagnostics, file).toEqual([]);
    }
  });

  it("never throws when any field of any object of the fixtures has the wrong type", () => {
    let mutants = 0;
    for (const file of [...readdirSync(dir).filter((f) => f.endsWith(".in.yaml")).sort(), "listener-sets.yaml"]) {
      const objects = fixture(file);
      const healthy = gatewayKeys(objects);
      objects.forEach((obj, i) => {
        for (const at of paths(obj)) {
          const mutant = mutate(obj, at);
          const input = [...objects.slice(0, i), mutant, ...objects.slice(i + 1)];
          let result: ReturnType<typeof translate> | undefined;
          expect(() => (result = translate(resourceSetFrom(input), { controllerName: CONTROLLER })), `${file} ${obj.kind} ${at.join(".")}`).not.toThrow();
          mutants++;
          // Other Gateways never go down because of a neighbour's bad shape. A ProxyConfig is no
          // neighbour: a class whose parameters are broken is InvalidParameters, and so are its Gateways.
          if (obj.kind !== "Gateway" && obj.kind !== "GatewayClass" && obj.kind !== "ProxyConfig") {
            const irs = result!.irs.map((ir) => `${ir.gateway.namespace}/${ir.gateway.name}`);
            expect(irs, `${file} ${obj.kind} ${at.join(".")}`).toEqual(healthy);
          }
        }
      });
    }
    expect(mutants).toBeGreaterThan(1000);
  }, 120_000);
});
