// A Kubernetes API server for tests, on node:http, speaking the real wire protocol so tests
// run the real @kubernetes/client-node against it: discovery, list, watch, get, create,
// update, status subresource, patch (merge, JSON, server-side apply) and delete, with errors
// as `kind: Status`. Storage rules live in ObjectStore, watch streams in WatchStream; this
// file routes requests and holds the test hooks (drop watches, compact history, injected
// failures, a conflict on the next status write, request counts).
//
// Not modelled (a test that needs one adds it here): list pagination (`limit`/`continue` are
// ignored, as the real server does for resourceVersion=0), `resourceVersionMatch`, field
// ownership and conflicts in server-side apply, strategic merge on lists with merge keys,
// deletecollection, authentication and authorization.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { parse as parseYaml } from "yaml";
import { closeHttpServer, listenDualStack } from "@gatehouse/runtime";
import { apiVersionOf } from "@gatehouse/kube";
import { BUILTIN_RESOURCES, type ApiResource } from "./api-resources";
import { ObjectStore, type KubeObject } from "./object-store";
import { applyConfiguration, applyJsonPatch, applyMergePatch, PatchError, type Json } from "./patches";
import { parsePath } from "./request-path";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors";
import { ApiStatusError, badRequest, conflict, notFound, statusFor } from "./status-errors";
import { WatchStream } from "./watch-stream";

export interface KubeApiTestServerOptions {
  /** Changes kept for watches to resume from; older resourceVersions get 410 Gone. */
  historySize?: number;
  /** How often a watch that allows bookmarks gets one. */
  bookmarkIntervalMs?: number;
  /** Delay before answering any request but a watch, as a real server's round trip and etcd write take (default 0). */
  latencyMs?: number;
}

export type KubeVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "discovery";

export interface RecordedRequest {
  verb: KubeVerb;
  method: string;
  path: string;
  query: Record<string, string>;
  subresource?: string;
}

export interface RequestFilter {
  verb?: KubeVerb;
  method?: string;
  /** Exact path, or a pattern. */
  path?: string | RegExp;
  subresource?: string;
}

interface InjectedFailure {
  remaining: number;
  code: number;
  filter: RequestFilter;
}

export class KubeApiTestServer {
  private server: Server | undefined;
  private readonly resources = new Map<string, ApiResource>();
  readonly store: ObjectStore;
  private readonly watches = new Set<WatchStream>();
  private readonly recorded: RecordedRequest[] = [];
  private failures: InjectedFailure[] = [];
  private statusConflicts = 0;
  private latencyMs: number;

  private constructor(private readonly opts: KubeApiTestServerOptions) {
    this.latencyMs = opts.latencyMs ?? 0;
    for (const r of BUILTIN_RESOURCES) this.registerResource(r);
    this.store = new ObjectStore(opts.historySize ?? 10_000, (apiVersion, kind) => this.resourceByKind(apiVersion, kind));
  }

  static async start(opts: KubeApiTestServerOptions = {}): Promise<KubeApiTestServer> {
    const s = new KubeApiTestServer(opts);
    const server = createServer((req, res) => void s.handle(req, res));
    await listenDualStack(server, 0);
    s.server = server;
    return s;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * A kubeconfig for this server (plain http, no credentials). @kubernetes/client-node refuses
   * an http:// server unless the cluster says insecure-skip-tls-verify (there is no TLS to
   * verify); `plainHttpFlag: false` leaves that out, as a kubeconfig for `kubectl proxy` would.
   */
  kubeconfigYaml(opts: { namespace?: string; plainHttpFlag?: boolean } = {}): string {
    const skip = opts.plainHttpFlag === false ? "" : "\n    insecure-skip-tls-verify: true";
    return [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: test\n  cluster:\n    server: ${this.url}${skip}`,
      "users:",
      "- name: test\n  user: {}",
      "contexts:",
      `- name: test\n  context:\n    cluster: test\n    user: test\n    namespace: ${opts.namespace ?? "default"}`,
      "current-context: test",
      "",
    ].join("\n");
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.kubeconfigYaml());
    return kc;
  }

  /** Serves a resource (a CRD "installed" now, or later to simulate a late install). */
  registerResource(r: ApiResource): void {
    this.resources.set(`${apiVersionOf(r)}/${r.plural}`, { statusSubresource: false, ...r });
  }

  // ---- direct access for test setup, bypassing HTTP (not counted, never failed) ----

  create(obj: Record<string, unknown>): KubeObject {
    const r = this.requireKind(obj);
    const meta = (obj.metadata ?? {}) as { namespace?: string };
    return this.store.create(r, obj as KubeObject, r.namespaced ? (meta.namespace ?? "default") : undefined);
  }

  update(obj: Record<string, unknown>, subresource?: "status"): KubeObject {
    const r = this.requireKind(obj);
    const meta = obj.metadata as { namespace?: string; name: string };
    return this.store.update(r, obj as KubeObject, meta.namespace, meta.name, { subresource });
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject {
    return this.store.delete(this.requireKind({ apiVersion, kind }), namespace, name);
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    try {
      return this.store.get(this.requireKind({ apiVersion, kind }), namespace, name);
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    return this.store.list(this.requireKind({ apiVersion, kind }), namespace);
  }

  get resourceVersion(): number {
    return this.store.resourceVersion;
  }

  // ---- test hooks ----

  get activeWatches(): number {
    return this.watches.size;
  }

  /** Ends every open watch; `abrupt` resets the connections instead of ending the responses. */
  dropWatches(abrupt = false): void {
    for (const w of [...this.watches]) w.close(abrupt);
  }

  /** Sends a BOOKMARK on every watch that allows them, now. */
  sendBookmarks(): void {
    for (const w of this.watches) w.bookmark();
  }

  /** Forgets the history: watches resuming from before now get 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  /** The next `count` requests matching `filter` fail with `code` (a Status error). */
  failNext(count: number, code = 500, filter: RequestFilter = {}): void {
    this.failures.push({ remaining: count, code, filter });
  }

  /** Cancels every pending injected failure and status conflict. */
  clearFailures(): void {
    this.failures = [];
    this.statusConflicts = 0;
  }

  /** Answers every request but a watch after `ms` (0: at once), from now on. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** The next `count` writes to a status subresource get 409 Conflict. */
  conflictOnNextStatusWrite(count = 1): void {
    this.statusConflicts += count;
  }

  requests(filter: RequestFilter = {}): RecordedRequest[] {
    return this.recorded.filter((r) => matchesFilter(r, filter));
  }

  countRequests(filter: RequestFilter = {}): number {
    return this.requests(filter).length;
  }

  resetRequestCounts(): void {
    this.recorded.length = 0;
  }

  async stop(): Promise<void> {
    this.dropWatches(true);
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await closeHttpServer(server);
  }

  // ---- request handling ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (err) {
      const status =
        err instanceof ApiStatusError
          ? err
          : err instanceof SelectorError || err instanceof SyntaxError
            ? badRequest((err as Error).message)
            : err instanceof PatchError
              ? statusFor(422, (err as Error).message)
              : statusFor(500, (err as Error).message);
      if (!res.headersSent) sendJson(res, status.code, status.toStatus());
      else res.end();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const q = url.searchParams;
    const method = req.method ?? "GET";
    const parsed = parsePath(url.pathname);
    const isWatch = q.get("watch") === "true" || q.get("watch") === "1";
    const verb: KubeVerb =
      parsed?.type !== "resource"
        ? "discovery"
        : method === "GET"
          ? parsed.name
            ? "get"
            : isWatch
              ? "watch"
              : "list"
          : method === "POST"
            ? "create"
            : method === "PUT"
              ? "update"
              : method === "PATCH"
                ? "patch"
                : "delete";
    const record: RecordedRequest = { verb, method, path: url.pathname, query: Object.fromEntries(q), subresource: parsed?.type === "resource" ? parsed.subresource : undefined };
    this.recorded.push(record);
    const body = method === "GET" || method === "DELETE" ? await readBody(req).catch(() => "") : await readBody(req);
    if (this.latencyMs > 0 && verb !== "watch") await new Promise((r) => setTimeout(r, this.latencyMs));

    const failure = this.failures.find((f) => f.remaining > 0 && matchesFilter(record, f.filter));
    if (failure) {
      failure.remaining--;
      this.failures = this.failures.filter((f) => f.remaining > 0);
      throw statusFor(failure.code, `injected failure (${failure.code})`);
    }

    if (!parsed) throw notFound({ name: url.pathname });
    switch (parsed.type) {
      case "version":
        return sendJson(res, 200, { major: "1", minor: "34", gitVersion: "v1.34.0-gatehouse-test", platform: "linux/amd64" });
      case "discovery-root":
        return sendJson(res, 200, parsed.core ? { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] } : this.groupList());
      case "discovery-group": {
        const g = this.groupList().groups.find((x) => x.name === parsed.group);
        if (!g) throw notFound({ name: parsed.group });
        return sendJson(res, 200, { kind: "APIGroup", apiVersion: "v1", ...g });
      }
      case "discovery-version":
        return sendJson(res, 200, this.resourceList(parsed.group, parsed.version));
    }

    const resource = this.resources.get(`${apiVersionOf(parsed)}/${parsed.plural}`);
    if (!resource || (parsed.namespace !== undefined && !resource.namespaced)) throw notFound({ name: url.pathname });
    if (parsed.subresource !== undefined && (parsed.subresource !== "status" || !resource.statusSubresource)) throw notFound({ name: url.pathname });
    const ns = resource.namespaced ? parsed.namespace : undefined;
    const sub = parsed.subresource as "status" | undefined;

    switch (verb) {
      case "list":
      case "watch": {
        const matchLabels = parseLabelSelector(q.get("labelSelector"));
        const matchFields = parseFieldSelector(q.get("fieldSelector"));
        const matches = (o: Record<string, unknown>) => matchLabels(o) && matchFields(o);
        if (verb === "watch") {
          const timeout = q.get("timeoutSeconds");
          const w = new WatchStream(this.store, res, {
            resource,
            namespace: ns,
            matches,
            resourceVersion: q.get("resourceVersion") ?? undefined,
            allowBookmarks: q.get("allowWatchBookmarks") === "true",
            bookmarkIntervalMs: this.opts.bookmarkIntervalMs ?? 1000,
            timeoutSeconds: timeout ? Number(timeout) : undefined,
          }, (x) => this.watches.delete(x));
          this.watches.add(w);
          w.start();
          return;
        }
        return sendJson(res, 200, this.listResponse(resource, ns, matches, q.get("resourceVersion")));
      }
      case "get":
        return sendJson(res, 200, this.store.get(resource, ns, parsed.name!));
      case "create":
        if (parsed.name) throw statusFor(405, "the server does not allow this method on the requested resource");
        return sendJson(res, 201, this.store.create(resource, parseJsonObject(body), ns));
      case "update": {
        if (sub === "status") this.takeStatusConflict(resource, parsed.name!);
        return sendJson(res, 200, this.store.update(resource, parseJsonObject(body), ns, parsed.name!, { subresource: sub }));
      }
      case "patch":
        return this.patch(res, req, resource, ns, parsed.name!, sub, body, q);
      case "delete": {
        if (!parsed.name) throw statusFor(405, "deletecollection is not supported by the test server");
        const opts = body ? (JSON.parse(body) as { propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string } }) : {};
        const policy = q.get("propagationPolicy") ?? opts.propagationPolicy ?? "Background";
        return sendJson(res, 200, this.store.delete(resource, ns, parsed.name, policy, opts.preconditions));
      }
      default:
        throw statusFor(405, `method ${method} not allowed`);
    }
  }

  private patch(res: ServerResponse, req: IncomingMessage, resource: ApiResource, ns: string | undefined, name: string, sub: "status" | undefined, body: string, q: URLSearchParams): void {
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim();
    if (sub === "status") this.takeStatusConflict(resource, name);
    if (type === "application/apply-patch+yaml" || type === "application/apply-patch+cbor") {
      const manager = q.get("fieldManager");
      if (!manager) throw badRequest("fieldManager is required for apply requests");
      const applied = parseYaml(body) as KubeObject;
      if (!applied || typeof applied !== "object") throw badRequest("the apply configuration must be an object");
      const current = this.tryGet(resource, ns, name);
      const entry = { manager, operation: "Apply", apiVersion: apiVersionOf(resource), time: new Date().toISOString().replace(/\.\d+Z$/, "Z"), fieldsType: "FieldsV1", ...(sub ? { subresource: sub } : {}) };
      if (!current) {
        if (sub) throw notFound({ name, group: resource.group, kind: resource.plural });
        const meta = { ...applied.metadata, name, managedFields: [entry] };
        return sendJson(res, 201, this.store.create(resource, { ...applied, metadata: meta }, ns));
      }
      const merged = applyConfiguration(current as unknown as Json, applied as unknown as Json) as unknown as KubeObject;
      const others = ((current.metadata.managedFields ?? []) as { manager: string; operation: string }[]).filter((m) => !(m.manager === manager && m.operation === "Apply"));
      merged.metadata.managedFields = [...others, entry];
      merged.metadata.resourceVersion = applied.metadata?.resourceVersion ?? current.metadata.resourceVersion;
      return sendJson(res, 200, this.store.update(resource, merged, ns, name, { subresource: sub }));
    }
    const current = this.store.get(resource, ns, name);
    const patch = JSON.parse(body) as Json;
    let next: Json;
    if (type === "application/merge-patch+json") next = applyMergePatch(current as unknown as Json, patch);
    else if (type === "application/json-patch+json") next = applyJsonPatch(current as unknown as Json, patch);
    else if (type === "application/strategic-merge-patch+json" && !resource.custom) {
      // Strategic merge differs from a merge patch only on lists with merge keys, which the
      // test server does not model; custom resources reject it, as the real server does.
      next = applyMergePatch(current as unknown as Json, patch);
    } else throw statusFor(415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
    return sendJson(res, 200, this.store.update(resource, next as unknown as KubeObject, ns, name, { subresource: sub }));
  }

  private takeStatusConflict(resource: ApiResource, name: string): void {
    if (this.statusConflicts <= 0) return;
    this.statusConflicts--;
    throw conflict({ name, group: resource.group, kind: resource.plural });
  }

  private tryGet(resource: ApiResource, ns: string | undefined, name: string): KubeObject | undefined {
    try {
      return this.store.get(resource, ns, name);
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  private listResponse(resource: ApiResource, ns: string | undefined, matches: (o: Record<string, unknown>) => boolean, rv: string | null): unknown {
    // resourceVersion "" / "0" / N (not older than N): the test server always serves its
    // latest state, which satisfies all three; a future N is what the real server times out on.
    if (rv && rv !== "0" && Number(rv) > this.store.resourceVersion) {
      throw statusFor(504, `Too large resource version: ${rv}, current: ${this.store.resourceVersion}`);
    }
    const items = this.store.list(resource, ns).filter(matches);
    return {
      kind: `${resource.kind}List`,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion: String(this.store.resourceVersion) },
      // Built-in lists carry no apiVersion/kind on their items; custom resource lists do.
      items: resource.custom ? items : items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
    };
  }

  private groupList(): { kind: string; apiVersion: string; groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion: { groupVersion: string; version: string } }[] } {
    const groups = new Map<string, Set<string>>();
    for (const r of this.resources.values()) if (r.group) (groups.get(r.group) ?? groups.set(r.group, new Set()).get(r.group)!).add(r.version);
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: [...groups].map(([name, versions]) => {
        const vs = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions: vs, preferredVersion: vs[0] };
      }),
    };
  }

  private resourceList(group: string, version: string): unknown {
    const rs = [...this.resources.values()].filter((r) => r.group === group && r.version === version);
    if (rs.length === 0) throw notFound({ name: `${group}/${version}` });
    const verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: apiVersionOf({ group, version }),
      resources: rs.flatMap((r) => [
        { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs },
        ...(r.statusSubresource ? [{ name: `${r.plural}/status`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get", "patch", "update"] }] : []),
      ]),
    };
  }

  private resourceByKind(apiVersion: string, kind: string): ApiResource | undefined {
    for (const r of this.resources.values()) if (apiVersionOf(r) === apiVersion && r.kind === kind) return r;
    return undefined;
  }

  private requireKind(obj: Record<string, unknown>): ApiResource {
    const r = this.resourceByKind(String(obj.apiVersion), String(obj.kind));
    if (!r) throw new Error(`the test API server does not serve ${String(obj.apiVersion)} ${String(obj.kind)}; registerResource it first`);
    return r;
  }
}

function matchesFilter(r: RecordedRequest, f: RequestFilter): boolean {
  if (f.verb && r.verb !== f.verb) return false;
  if (f.method && r.method !== f.method) return false;
  if (f.subresource !== undefined && r.subresource !== f.subresource) return false;
  if (f.path !== undefined && (typeof f.path === "string" ? r.path !== f.path : !f.path.test(r.path))) return false;
  return true;
}

function parseJsonObject(body: string): KubeObject {
  const obj = JSON.parse(body) as KubeObject;
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw badRequest("the request body must be an object");
  obj.metadata ??= {};
  return obj;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}


