// The storage of the test API server: every object of every resource under one global
// resourceVersion (like etcd's revision), a bounded history of changes for watches to resume
// from, and the write rules of the API server: uid/creationTimestamp/generation on create,
// resourceVersion preconditions, generation bumped only when something but metadata and
// status changes, status only through the status subresource, no-op writes that change
// nothing, finalizers, and garbage collection of dependents by ownerReference uid.
import { randomBytes, randomUUID } from "node:crypto";
import { apiVersionOf } from "@gatehouse/kube";
import { type ApiResource } from "./api-resources";
import { alreadyExists, badRequest, conflict, notFound, type StatusDetails } from "./status-errors";

export type KubeObject = Record<string, unknown> & { metadata: ObjectMeta };
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { uid: string; kind?: string; name?: string; apiVersion?: string; controller?: boolean }[];
  [k: string]: unknown;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";
export interface StoreEvent {
  type: WatchEventType;
  resource: ApiResource;
  object: KubeObject;
  /** The object before the change (MODIFIED), for selector transitions. */
  previous?: KubeObject;
  rv: number;
}

export const resourceKey = (r: Pick<ApiResource, "group" | "plural">) => (r.group ? `${r.plural}.${r.group}` : r.plural);
const objectKey = (ns: string | undefined, name: string) => `${ns ?? ""}/${name}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export interface WriteOptions {
  /** Write through the status subresource: only `status` changes. */
  subresource?: "status";
}

export class ObjectStore {
  private revision = 0;
  /** Watches can resume from any resourceVersion >= this one. */
  private compactedRevision = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(
    private readonly historySize: number,
    private readonly resourceFor: (apiVersion: string, kind: string) => ApiResource | undefined,
  ) {}

  get resourceVersion(): number {
    return this.revision;
  }

  get oldestResumableVersion(): number {
    return this.compactedRevision;
  }

  /** Forgets all history: a watch from any older resourceVersion gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Changes of `resource` after `rv`, or undefined when history no longer reaches back there. */
  eventsSince(resource: ApiResource, rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRevision) return undefined;
    const key = resourceKey(resource);
    return this.history.filter((e) => e.rv > rv && resourceKey(e.resource) === key);
  }

  list(resource: ApiResource, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(resourceKey(resource))?.values() ?? [])];
    return all
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .sort((a, b) => objectKey(a.metadata.namespace, a.metadata.name!).localeCompare(objectKey(b.metadata.namespace, b.metadata.name!)));
  }

  get(resource: ApiResource, namespace: string | undefined, name: string): KubeObject {
    const obj = this.objects.get(resourceKey(resource))?.get(objectKey(namespace, name));
    if (!obj) throw notFound(details(resource, name));
    return structuredClone(obj);
  }

  create(resource: ApiResource, input: KubeObject, namespace: string | undefined): KubeObject {
    const obj = structuredClone(input);
    checkTypeMeta(resource, obj);
    const meta = obj.metadata ?? (obj.metadata = {});
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomBytes(4).toString("hex").slice(0, 5);
    if (!meta.name) throw badRequest("metadata.name or metadata.generateName is required");
    if (resource.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace ?? meta.namespace;
      if (!meta.namespace) throw badRequest("a namespaced object needs a namespace");
    } else delete meta.namespace;
    const bucket = this.bucket(resource);
    const key = objectKey(meta.namespace, meta.name);
    if (bucket.has(key)) throw alreadyExists(details(resource, meta.name));
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    meta.generation = 1;
    delete meta.deletionTimestamp;
    if (resource.statusSubresource && obj.status !== undefined && resource.custom) delete obj.status;
    meta.resourceVersion = String(++this.revision);
    bucket.set(key, obj);
    this.record({ type: "ADDED", resource, object: obj, rv: this.revision });
    return structuredClone(obj);
  }

  /**
   * Replaces an object (PUT). A resourceVersion in the body is a precondition; none means
   * "whatever is there". Returns the stored object (unchanged, same resourceVersion, when the
   * write changes nothing).
   */
  update(resource: ApiResource, input: KubeObject, namespace: string | undefined, name: string, opts: WriteOptions = {}): KubeObject {
    const obj = structuredClone(input);
    checkTypeMeta(resource, obj);
    const bucket = this.bucket(resource);
    const key = objectKey(resource.namespaced ? namespace : undefined, name);
    const current = bucket.get(key);
    if (!current) throw notFound(details(resource, name));
    const meta = obj.metadata ?? (obj.metadata = {});
    if (meta.name !== undefined && meta.name !== name) throw badRequest("the name of the object does not match the name on the URL");
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) throw conflict(details(resource, name));

    let next: KubeObject;
    if (opts.subresource === "status") {
      next = { ...structuredClone(current), status: obj.status };
      if (obj.status === undefined) delete next.status;
    } else {
      next = obj;
      if (resource.statusSubresource) {
        if (current.status === undefined) delete next.status;
        else next.status = structuredClone(current.status);
      }
      // Fields the server owns are kept whatever the client sent.
      for (const f of ["uid", "creationTimestamp", "generation", "deletionTimestamp", "namespace", "name"] as const) {
        if (current.metadata[f] === undefined) delete meta[f];
        else (meta as Record<string, unknown>)[f] = current.metadata[f];
      }
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (canonical(next) === canonical(current)) return structuredClone(current);
    if (canonical(withoutMetaAndStatus(next)) !== canonical(withoutMetaAndStatus(current))) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length)) {
      return this.removeNow(resource, key, next, "Background");
    }
    next.metadata.resourceVersion = String(++this.revision);
    bucket.set(key, next);
    this.record({ type: "MODIFIED", resource, object: next, previous: current, rv: this.revision });
    return structuredClone(next);
  }

  /**
   * Deletes an object: at once without finalizers (then its dependents are collected unless
   * the policy is Orphan), else it gets a deletionTimestamp and goes when they are removed.
   */
  delete(resource: ApiResource, namespace: string | undefined, name: string, propagationPolicy = "Background", precondition?: { uid?: string; resourceVersion?: string }): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(resource.namespaced ? namespace : undefined, name);
    const current = bucket.get(key);
    if (!current) throw notFound(details(resource, name));
    if (precondition?.uid && precondition.uid !== current.metadata.uid) throw conflict(details(resource, name), "Precondition failed: UID mismatch");
    if (precondition?.resourceVersion && precondition.resourceVersion !== current.metadata.resourceVersion) throw conflict(details(resource, name));
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp) return structuredClone(current);
      const next = structuredClone(current);
      next.metadata.deletionTimestamp = now();
      next.metadata.resourceVersion = String(++this.revision);
      bucket.set(key, next);
      this.record({ type: "MODIFIED", resource, object: next, previous: current, rv: this.revision });
      return structuredClone(next);
    }
    return this.removeNow(resource, key, current, propagationPolicy);
  }

  private removeNow(resource: ApiResource, key: string, obj: KubeObject, propagationPolicy: string): KubeObject {
    const bucket = this.bucket(resource);
    const gone = structuredClone(obj);
    bucket.delete(key);
    gone.metadata.resourceVersion = String(++this.revision);
    this.record({ type: "DELETED", resource, object: gone, rv: this.revision });
    this.collectDependents(gone.metadata.uid!, propagationPolicy === "Orphan");
    return structuredClone(gone);
  }

  /** The garbage collector: drops the owner reference; a dependent left with no owner goes. */
  private collectDependents(ownerUid: string, orphan: boolean): void {
    for (const [rkey, bucket] of this.objects) {
      for (const obj of [...bucket.values()]) {
        const refs = obj.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === ownerUid)) continue;
        const resource = this.resourceFor(String(obj.apiVersion), String(obj.kind));
        if (!resource || resourceKey(resource) !== rkey) continue;
        const remaining = refs.filter((r) => r.uid !== ownerUid);
        if (remaining.length === 0 && !orphan) {
          this.delete(resource, obj.metadata.namespace, obj.metadata.name!, "Background");
        } else {
          const next = structuredClone(obj);
          if (remaining.length) next.metadata.ownerReferences = remaining;
          else delete next.metadata.ownerReferences;
          this.update(resource, next, obj.metadata.namespace, obj.metadata.name!);
        }
      }
    }
  }

  private bucket(resource: ApiResource): Map<string, KubeObject> {
    const key = resourceKey(resource);
    let b = this.objects.get(key);
    if (!b) this.objects.set(key, (b = new Map()));
    return b;
  }

  private record(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.compactedRevision = dropped[dropped.length - 1].rv;
    }
    for (const l of this.listeners) l(e);
  }
}

function details(resource: ApiResource, name?: string): StatusDetails {
  return { name, group: resource.group, kind: resource.plural };
}

function checkTypeMeta(resource: ApiResource, obj: KubeObject): void {
  const apiVersion = apiVersionOf(resource);
  if ((obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) || (obj.kind !== undefined && obj.kind !== resource.kind)) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) and kind (${String(obj.kind)}) do not match ${apiVersion} ${resource.kind}`);
  }
  obj.apiVersion = apiVersion;
  obj.kind = resource.kind;
}

function withoutMetaAndStatus(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** JSON with sorted keys, so two objects compare equal whatever their key order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
