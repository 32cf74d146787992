// What the converter generates is what Gatehouse itself accepts: every fixture's output,
// translated as `gatehouse translate` does, gives every route Accepted=True on every parent
// and every generated Gateway Accepted=True.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_CONTROLLER_NAME, resourceSetFrom, translate, type KubeObject } from "@gatehouse/gatewayapi";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { convertIngresses, type ConvertOptions, type Ingress } from "./index";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata");
const ROUTE_KINDS = new Set(["HTTPRoute", "GRPCRoute", "TLSRoute"]);

function fixture(name: string) {
  const text = readFileSync(path.join(dir, `${name}.in.yaml`), "utf8");
  const header = /^# options: (.*)$/.exec(text.split("\n")[0]);
  const objects = parseAllDocuments(text).map((d) => d.toJS() as Ingress).filter(Boolean);
  const options = header ? (JSON.parse(header[1]) as ConvertOptions) : {};
  return { objects, options };
}

/** The existing Gateway of the fixtures that attach to one. */
function existingGateway(options: ConvertOptions): KubeObject[] {
  if (!options.gateway) return [];
  return [
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gatehouse" }, spec: { controllerName: DEFAULT_CONTROLLER_NAME } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { namespace: options.gateway.namespace, name: options.gateway.name },
      spec: {
        gatewayClassName: "gatehouse",
        listeners: [
          { name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } },
          { name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "shared-cert" }] }, allowedRoutes: { namespaces: { from: "All" } } },
        ],
      },
    },
  ];
}

describe("generated objects translate with every route accepted", () => {
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith(".in.yaml"))
    .map((f) => f.slice(0, -".in.yaml".length))
    .sort();
  for (const name of cases) {
    it(name, () => {
      const { objects, options } = fixture(name);
      const result = convertIngresses(
        { ingresses: objects.filter((o) => o.kind === "Ingress"), ingressClasses: objects.filter((o) => o.kind === "IngressClass"), services: objects.filter((o) => o.kind === "Service") },
        options,
      );
      const translated = translate(resourceSetFrom([...existingGateway(options), ...result.objects]), { controllerName: DEFAULT_CONTROLLER_NAME });
      const routes = result.objects.filter((o) => ROUTE_KINDS.has(o.kind ?? ""));
      for (const route of routes) {
        const status = translated.statuses.find((s) => s.kind === route.kind && s.namespace === route.metadata?.namespace && s.name === route.metadata?.name);
        const parents = (status?.status.parents ?? []) as { parentRef: unknown; conditions: { type: string; status: string; message: string }[] }[];
        const refs = (route.spec as { parentRefs: unknown[] }).parentRefs;
        expect(parents.length, `${route.kind} ${route.metadata?.name}`).toBe(refs.length);
        for (const p of parents) {
          const accepted = p.conditions.find((c) => c.type === "Accepted");
          expect({ route: `${route.kind} ${route.metadata?.namespace}/${route.metadata?.name}`, parent: p.parentRef, accepted: accepted?.status, message: accepted?.message }).toMatchObject({ accepted: "True" });
        }
      }
      for (const gw of result.objects.filter((o) => o.kind === "Gateway")) {
        const status = translated.statuses.find((s) => s.kind === "Gateway" && s.name === gw.metadata?.name);
        const accepted = ((status?.status.conditions ?? []) as { type: string; status: string }[]).find((c) => c.type === "Accepted");
        expect(accepted?.status, `Gateway ${gw.metadata?.name}`).toBe("True");
      }
    });
  }
});
