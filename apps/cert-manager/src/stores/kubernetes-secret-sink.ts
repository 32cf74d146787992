// The SecretSink of Kubernetes mode: one Secret name in one or more namespaces (the Envoy
// client Secret in every Gateway namespace, which may change while running; the CA key
// Secret in cert-manager's own). The Secrets must exist: cert-manager has no `create` on
// Secrets (deploy/base/rbac), the watcher or the install creates them empty; a missing one
// is named in a SecretMissingError and does not keep the others from being written. Writes
// are PUTs with the resourceVersion of a fresh GET, so a concurrent writer is never
// overwritten blindly: a 409 re-reads and retries.
import { kindInfo, type KubeObject } from "@gatehouse/kube";
import { isConflict, isNotFound, type ApiResourceRef, type KubeClient } from "@gatehouse/kube-client";
import { Backoff, type BackoffPolicy } from "@gatehouse/runtime";
import { sameData, SecretMissingError, type SecretSink } from "./secret-sink";

const SECRET_RESOURCE: ApiResourceRef = kindInfo("", "Secret")!;

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}

export interface KubernetesSecretSinkOptions {
  client: KubeClient;
  name: string;
  /** Where the Secret is kept (setNamespaces changes it); the first that holds data is the one read. */
  namespaces: readonly string[];
  /** Waits between attempts after a 409 Conflict. */
  conflictBackoff?: BackoffPolicy;
  /** Attempts per Secret before a write gives up (the caller retries on its next tick). */
  maxAttempts?: number;
}

export class KubernetesSecretSink implements SecretSink {
  private namespaces: readonly string[];
  /** What each namespace's copy held when last read or written: a write leaves equal copies alone. */
  private readonly seen = new Map<string, Record<string, string> | undefined>();

  constructor(private readonly opts: KubernetesSecretSinkOptions) {
    if (opts.namespaces.length === 0) throw new Error(`Secret ${opts.name}: no namespace to write it to`);
    this.namespaces = [...new Set(opts.namespaces)];
  }

  get description(): string {
    return `Secret ${this.opts.name} in ${this.namespaces.join(", ")}`;
  }

  /** The namespaces written from now on (the configured ones and every Gateway's), first-read first. */
  setNamespaces(namespaces: readonly string[]): void {
    if (namespaces.length === 0) return;
    this.namespaces = [...new Set(namespaces)];
    for (const ns of this.seen.keys()) if (!this.namespaces.includes(ns)) this.seen.delete(ns);
  }

  get currentNamespaces(): readonly string[] {
    return this.namespaces;
  }

  /**
   * The data of the first copy that has any (copies differ only after a partial write, whose
   * first namespace is the newest, or while a new Gateway namespace's Secret is still empty:
   * the next write brings them in line). Missing Secrets are skipped; if none exists at all,
   * SecretMissingError.
   */
  async read(): Promise<Record<string, string> | undefined> {
    const missing: string[] = [];
    let first: Record<string, string> | undefined;
    for (const namespace of this.namespaces) {
      let data;
      try {
        data = decode((await this.get(namespace)).data);
      } catch (err) {
        if (!(err instanceof SecretMissingError)) throw err;
        missing.push(namespace);
        this.seen.delete(namespace);
        continue;
      }
      this.seen.set(namespace, data);
      first ??= data;
    }
    if (missing.length === this.namespaces.length) throw new SecretMissingError(missing, this.opts.name);
    return first;
  }

  /**
   * Brings every copy to `data`, skipping those that already hold it. A missing Secret does
   * not stop the others; they are all named in one SecretMissingError at the end.
   */
  async write(data: Record<string, string>): Promise<void> {
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]));
    const missing: string[] = [];
    for (const namespace of this.namespaces) {
      if (this.seen.has(namespace) && sameData(this.seen.get(namespace), data)) continue;
      try {
        await this.replaceData(namespace, encoded);
        this.seen.set(namespace, { ...data });
      } catch (err) {
        this.seen.delete(namespace);
        if (!(err instanceof SecretMissingError)) throw err;
        missing.push(namespace);
      }
    }
    if (missing.length) throw new SecretMissingError(missing, this.opts.name);
  }

  private async replaceData(namespace: string, data: Record<string, string>): Promise<void> {
    const backoff = new Backoff(this.opts.conflictBackoff ?? { initialMs: 100, maxMs: 2_000, jitter: 0.5 });
    const maxAttempts = this.opts.maxAttempts ?? 6;
    for (;;) {
      const current = await this.get(namespace);
      try {
        await this.opts.client.replace<SecretObject>(SECRET_RESOURCE, { ...current, data, stringData: undefined } as SecretObject);
        return;
      } catch (err) {
        if (isNotFound(err)) throw new SecretMissingError([namespace], this.opts.name);
        if (!isConflict(err) || backoff.attempts + 1 >= maxAttempts) throw err;
        await backoff.wait();
      }
    }
  }

  private async get(namespace: string): Promise<SecretObject> {
    try {
      return await this.opts.client.get<SecretObject>(SECRET_RESOURCE, namespace, this.opts.name);
    } catch (err) {
      if (isNotFound(err)) throw new SecretMissingError([namespace], this.opts.name);
      throw err;
    }
  }
}

function decode(data: Record<string, string> | undefined): Record<string, string> | undefined {
  const entries = Object.entries(data ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
}
