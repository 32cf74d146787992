// The calls Gatehouse makes to the Kubernetes API, on @kubernetes/client-node's KubeConfig
// (authentication, TLS, proxies) and its HTTP library and Watch. Why not its generated
// CoreV1Api/CustomObjectsApi or KubernetesObjectApi: they deserialize into classes (dates
// become Date objects, so an object would not round-trip to the bus byte for byte), core and
// custom resources need different APIs, and KubernetesObjectApi.list has no resourceVersion.
// Here every resource is addressed by group/version/plural and objects stay plain JSON.
import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext, Watch, type KubeConfig } from "@kubernetes/client-node";
import { KubeApiError } from "./api-error";
import { apiVersionOf } from "@gatehouse/kube";
import { resourcePath, type ApiObject, type ApiResourceRef } from "./api-resource";

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
}

export interface ListResult<T extends ApiObject = ApiObject> {
  resourceVersion: string;
  items: T[];
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export const MERGE_PATCH = "application/merge-patch+json";
export const APPLY_PATCH = "application/apply-patch+yaml";

export interface KubeClientOptions {
  /** Longest wait for any request but a watch (a hung request must not stall a renew loop). */
  requestTimeoutMs?: number;
}

export class KubeClient {
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly watcher: Watch;

  constructor(
    readonly config: KubeConfig,
    private readonly opts: KubeClientOptions = {},
  ) {
    this.watcher = new Watch(config);
  }

  get server(): string {
    return this.config.getCurrentCluster()?.server ?? "";
  }

  async get<T extends ApiObject = ApiObject>(r: ApiResourceRef, namespace: string | undefined, name: string): Promise<T> {
    return withTypeMeta(r, await this.request<T>("GET", resourcePath(r, namespace, name)));
  }

  /** A list; items get apiVersion/kind (built-in lists leave them out). */
  async list<T extends ApiObject = ApiObject>(r: ApiResourceRef, opts: ListOptions = {}): Promise<ListResult<T>> {
    const body = await this.request<{ metadata?: { resourceVersion?: string }; items?: T[] }>("GET", resourcePath(r, opts.namespace), {
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      resourceVersion: opts.resourceVersion,
    });
    return { resourceVersion: body.metadata?.resourceVersion ?? "", items: (body.items ?? []).map((o) => withTypeMeta(r, o)) };
  }

  async create<T extends ApiObject = ApiObject>(r: ApiResourceRef, obj: NoInfer<T>): Promise<T> {
    return this.request<T>("POST", resourcePath(r, obj.metadata.namespace), undefined, withTypeMeta(r, obj));
  }

  /** PUT: the object's resourceVersion, when set, is a precondition (409 Conflict when stale). */
  async replace<T extends ApiObject = ApiObject>(r: ApiResourceRef, obj: NoInfer<T>): Promise<T> {
    return this.request<T>("PUT", resourcePath(r, obj.metadata.namespace, obj.metadata.name), undefined, withTypeMeta(r, obj));
  }

  /** PUT to the status subresource: only `status` is written. */
  async replaceStatus<T extends ApiObject = ApiObject>(r: ApiResourceRef, obj: NoInfer<T>): Promise<T> {
    return this.request<T>("PUT", resourcePath(r, obj.metadata.namespace, obj.metadata.name, "status"), undefined, withTypeMeta(r, obj));
  }

  async patch<T extends ApiObject = ApiObject>(
    r: ApiResourceRef,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    contentType: string,
    opts: { fieldManager?: string; force?: boolean; subresource?: "status" } = {},
  ): Promise<T> {
    const query = { fieldManager: opts.fieldManager, force: opts.force === undefined ? undefined : String(opts.force) };
    return this.request<T>("PATCH", resourcePath(r, namespace, name, opts.subresource), query, patch, contentType);
  }

  async delete(r: ApiResourceRef, namespace: string | undefined, name: string): Promise<void> {
    await this.request("DELETE", resourcePath(r, namespace, name));
  }

  /**
   * Opens a watch (client-node's Watch: JSON lines; it ends a stream silent for 30 s with a
   * TimeoutError, which callers treat as a normal end); `onEvent` gets each event, `onDone`
   * the end of the stream (null when it ended normally). Returns the controller that closes it.
   */
  watch(
    r: ApiResourceRef,
    opts: WatchOptions,
    onEvent: (type: WatchEventType, object: Record<string, unknown>) => void,
    onDone: (err: unknown) => void,
  ): Promise<AbortController> {
    const query: Record<string, string | number | boolean | undefined> = {
      resourceVersion: opts.resourceVersion,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      allowWatchBookmarks: opts.allowWatchBookmarks,
      timeoutSeconds: opts.timeoutSeconds,
    };
    return this.watcher.watch(resourcePath(r, opts.namespace), query, (type: string, obj: Record<string, unknown>) => onEvent(type as WatchEventType, obj), onDone);
  }

  private async request<T>(method: keyof typeof HttpMethod, path: string, query: Record<string, string | undefined> = {}, body?: unknown, contentType = "application/json"): Promise<T> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") url.searchParams.set(k, v);
    const ctx = new RequestContext(url.toString(), HttpMethod[method]);
    ctx.setHeaderParam("Accept", "application/json");
    if (body !== undefined) {
      ctx.setHeaderParam("Content-Type", contentType);
      ctx.setBody(typeof body === "string" ? body : JSON.stringify(body));
    }
    await this.config.applySecurityAuthentication(ctx);
    ctx.setSignal(AbortSignal.timeout(this.opts.requestTimeoutMs ?? 30_000));
    const res = await this.http.send(ctx).toPromise();
    const text = await res.body.text();
    if (res.httpStatusCode < 200 || res.httpStatusCode > 299) throw KubeApiError.fromResponse(res.httpStatusCode, text, `${method} ${path}`);
    return JSON.parse(text) as T;
  }
}

/** Built-in lists leave apiVersion/kind out of their items; the client puts them back. */
function withTypeMeta<T extends ApiObject>(r: ApiResourceRef, obj: T): T {
  return { ...obj, apiVersion: obj.apiVersion || apiVersionOf(r), kind: obj.kind || r.kind };
}
