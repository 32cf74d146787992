import { describe, expect, it } from "vitest";
import { formatManifestError, parseManifest } from "./manifest-parser";

const svc = (name: string, extra = "") => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${extra}spec:\n  ports: [{ port: 80 }]\n`;

function ok(text: string, source = "a.yaml") {
  const parsed = parseManifest(text, source);
  if (!parsed.ok) throw new Error(`expected to parse: ${formatManifestError(parsed.error)}`);
  return parsed;
}

function failure(text: string, source = "a.yaml") {
  const parsed = parseManifest(text, source);
  if (parsed.ok) throw new Error("expected a parse error");
  return parsed.error;
}

describe("parseManifest", () => {
  it("reads every document of a multi-document file and defaults the namespace of namespaced kinds", () => {
    const parsed = ok(`${svc("a")}---\n${svc("b", "  namespace: prod\n")}---\n`);
    expect(parsed.objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["default/a", "prod/b"]);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.empty).toBe(false);
  });

  it("drops the namespace of cluster-scoped kinds", () => {
    const parsed = ok("apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: gc, namespace: x }\nspec: { controllerName: c }\n");
    expect(parsed.objects[0].metadata).toEqual({ name: "gc" });
  });

  it("expands List documents, including typed lists", () => {
    const list = { apiVersion: "v1", kind: "ServiceList", items: [{ apiVersion: "v1", kind: "Service", metadata: { name: "a" } }, { apiVersion: "v1", kind: "Service", metadata: { name: "b" } }] };
    expect(ok(JSON.stringify(list), "l.json").objects.map((o) => o.metadata.name)).toEqual(["a", "b"]);
    expect(ok(JSON.stringify({ ...list, kind: "List" })).objects).toHaveLength(2);
  });

  it("skips kinds Gatehouse does not handle, returning each as a note instead of failing", () => {
    const text = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: web }\n---\n${svc("a")}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: { name: sa }\n`;
    const parsed = ok(text);
    expect(parsed.objects.map((o) => o.kind)).toEqual(["Service"]);
    expect(parsed.skipped).toEqual([
      { apiVersion: "apps/v1", kind: "StatefulSet", name: "web", source: "a.yaml" },
      { apiVersion: "v1", kind: "ServiceAccount", name: "sa", source: "a.yaml" },
    ]);
  });

  it("tells a handled kind from another project's kind of the same name by its group", () => {
    const parsed = ok("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: istio }\n---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\nmetadata: { name: ours }\n");
    expect(parsed.objects.map((o) => o.metadata.name)).toEqual(["ours"]);
    expect(parsed.skipped.map((s) => s.apiVersion)).toEqual(["networking.istio.io/v1"]);
  });

  it("strips managedFields and the last-applied-configuration annotation", () => {
    const text = svc("a", "  managedFields: [{ manager: kubectl }]\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{}'\n    team: web\n");
    expect(ok(text).objects[0].metadata).toEqual({ name: "a", namespace: "default", annotations: { team: "web" } });
  });

  it("rejects a duplicate key, naming the file, the line and the key", () => {
    const error = failure(`${svc("a")}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  name: c\n`, "dir/routes.yaml");
    expect(error).toEqual({ source: "dir/routes.yaml", line: 12, message: 'duplicate key "name"' });
    expect(formatManifestError(error)).toBe('dir/routes.yaml:12: duplicate key "name"');
  });

  it("fails the whole file when one document is broken, so a half-saved file withdraws nothing", () => {
    const error = failure(`${svc("a")}---\nkind: [broken\n`);
    expect(error.source).toBe("a.yaml");
    expect(error.line).toBeGreaterThanOrEqual(8);
    expect(error.message).toMatch(/^malformed YAML: /);
  });

  it("names the line of the object that is not a valid Kubernetes object", () => {
    expect(failure(`${svc("a")}---\n- just\n- a list\n`)).toEqual({ source: "a.yaml", line: 8, message: "not a Kubernetes object (expected a mapping)" });
    expect(failure("kind: Service\nmetadata: { name: a }\n")).toEqual({ source: "a.yaml", line: 1, message: "missing apiVersion" });
    expect(failure(`${svc("a")}---\n${svc("Bad_Name")}`).message).toMatch(/^Service: invalid metadata.name "Bad_Name"/);
    const list = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: a }\n  - apiVersion: v1\n    kind: Service\n";
    expect(failure(list)).toEqual({ source: "a.yaml", line: 7, message: "List item 2: Service: missing metadata" });
  });

  it("says an input without any document is empty, and is not an error", () => {
    expect(ok("")).toEqual({ ok: true, objects: [], skipped: [], empty: true });
    expect(ok("# only a comment\n---\n").empty).toBe(true);
  });
});
