import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { TranslationEngine, type EngineObject, type EngineOutput, type TranslationBackend } from "../engine/translation-engine";
import { gatewayApiBackend } from "./gatewayapi-backend";

const CONTROLLER = "example.com/test-controller";
const objects = (service: EngineObject): Map<string, EngineObject> => {
  const list: EngineObject[] = [
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gc" }, spec: { controllerName: CONTROLLER } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "gw", namespace: "default" },
      spec: { gatewayClassName: "gc", listeners: [{ name: "http", protocol: "HTTP", port: 8080 }] },
    },
    service,
  ];
  return new Map(list.map((o) => [`${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`, o]));
};
const service = (ports: unknown): EngineObject => ({ apiVersion: "v1", kind: "Service", metadata: { name: "svc", namespace: "default" }, spec: { ports } });

describe("gatewayApiBackend", () => {
  it("warns once per malformed object and problem, and again after it was fixed and broken anew", () => {
    const lines: { level: number; msg: string; kind: string; namespace: string; name: string }[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const backend = gatewayApiBackend({ controllerName: CONTROLLER, logger: pino({ level: "warn" }, sink) });
    const translateAll = (objs: Map<string, EngineObject>) => {
      backend.dependencies(objs);
      return backend.translate(objs, ["default/gw"]);
    };
    const broken = objects(service("80"));
    expect(translateAll(broken).irs.has("default/gw")).toBe(true);
    translateAll(broken);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, kind: "Service", namespace: "default", name: "svc" });
    expect(lines[0].msg).toContain("Service default/svc is malformed and ignored");
    translateAll(objects(service([{ port: 80 }])));
    expect(lines).toHaveLength(1);
    translateAll(broken);
    expect(lines).toHaveLength(2);
  });

  it("translating some Gateways keeps every class's parameters: another class with a ProxyConfig stays Accepted", () => {
    const list: EngineObject[] = [];
    for (const name of ["a", "b"]) {
      const ref = { group: "gateway.gatehouse.dev", kind: "ProxyConfig", name: `${name}-params`, namespace: "gatehouse" };
      list.push(
        { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name }, spec: { controllerName: CONTROLLER, parametersRef: ref } },
        { apiVersion: "gateway.gatehouse.dev/v1alpha1", kind: "ProxyConfig", metadata: { name: `${name}-params`, namespace: "gatehouse" }, spec: {} },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "Gateway",
          metadata: { name: `gw-${name}`, namespace: "default" },
          spec: { gatewayClassName: name, listeners: [{ name: "http", protocol: "HTTP", port: 8080 }] },
        },
      );
    }
    const objs = new Map(list.map((o) => [`${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`, o]));
    const backend = gatewayApiBackend({ controllerName: CONTROLLER });
    backend.dependencies(objs);
    const { statuses, irs } = backend.translate(objs, ["default/gw-a"]);
    expect([...irs.keys()]).toEqual(["default/gw-a"]);
    const accepted = (name: string) =>
      (statuses.find((s) => s.ref.kind === "GatewayClass" && s.ref.name === name)!.status as { conditions: { type: string; reason: string }[] }).conditions.find((c) => c.type === "Accepted")!.reason;
    expect(accepted("a")).toBe("Accepted");
    expect(accepted("b")).toBe("Accepted");
  });
});

describe("statuses merged from several translations", () => {
  const gatewayNames = Array.from({ length: 18 }, (_, i) => `gw-${String(i + 1).padStart(2, "0")}`);
  const gateway = (name: string, port = 8080): EngineObject => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name, namespace: "default" },
    spec: { gatewayClassName: "gc", listeners: [{ name: "http", protocol: "HTTP", port }] },
  });
  const base: EngineObject[] = [
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gc" }, spec: { controllerName: CONTROLLER } },
    ...gatewayNames.map((n) => gateway(n)),
    { apiVersion: "v1", kind: "Service", metadata: { name: "svc", namespace: "default" }, spec: { ports: [{ name: "https", port: 443 }] } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "route", namespace: "default" },
      spec: { parentRefs: gatewayNames.map((name) => ({ name })), rules: [{ backendRefs: [{ name: "svc", port: 443 }] }] },
    },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "BackendTLSPolicy",
      metadata: { name: "tls", namespace: "default" },
      spec: {
        targetRefs: [{ group: "", kind: "Service", name: "svc" }],
        validation: { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "missing" }], hostname: "svc.example.com" },
      },
    },
  ];
  const id = (o: EngineObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

  const ancestorsOf = (out: EngineOutput) =>
    out.statusPuts.find((s) => s.ref.kind === "BackendTLSPolicy")?.status.ancestors as { ancestorRef: { name: string }; conditions: { type: string }[] }[] | undefined;
  /** A full translation, then gw-17 alone retranslated: its ancestor entry comes back beside the 16 recorded. */
  const run = (backend: TranslationBackend) => {
    const engine = new TranslationEngine(backend);
    const first = engine.apply(new Map(base.map((o) => [id(o), o])), true);
    const changed = gateway("gw-17", 8081);
    return { first: ancestorsOf(first), second: ancestorsOf(engine.apply(new Map([[id(changed), changed]]))) };
  };

  it("keeps a policy's ancestors within 16 when a retranslation of one Gateway adds its entry back", () => {
    const { first, second } = run(gatewayApiBackend({ controllerName: CONTROLLER }));
    expect(first!.map((a) => a.ancestorRef.name)).toEqual(gatewayNames.slice(0, 16));
    expect(first![15]!.conditions.map((c) => c.type)).toContain("Aggregated");
    // Bounded again after merging: still 16, one of them marking the aggregation.
    expect(second!.map((a) => a.ancestorRef.name)).toEqual(gatewayNames.slice(0, 16));
    expect(second!.filter((a) => a.conditions.some((c) => c.type === "Aggregated")).map((a) => a.ancestorRef.name)).toEqual(["gw-16"]);
  });

  it("would publish 17 ancestors if merged statuses were not bounded again", () => {
    const { boundStatus: _bound, ...unbounded } = gatewayApiBackend({ controllerName: CONTROLLER });
    const { second } = run(unbounded);
    expect(second).toHaveLength(17);
  });
});
