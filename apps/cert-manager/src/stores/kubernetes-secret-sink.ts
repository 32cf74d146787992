// The SecretSink of Kubernetes mode: one Secret name in one or more namespaces (the Envoy
// client Secret in every Gateway namespace, the CA key Secret in cert-manager's own). The
// Secrets must exist: cert-manager has no `create` on Secrets (deploy/base/rbac), the
// watcher or the install creates them empty. Writes are PUTs with the resourceVersion of a
// fresh GET, so a concurrent writer is never overwritten blindly: a 409 re-reads and retries.
import { kindInfo, type KubeObject } from "@gatehouse/kube";
import { isConflict, isNotFound, type ApiResourceRef, type KubeClient } from "@gatehouse/kube-client";
import { Backoff, type BackoffPolicy } from "@gatehouse/runtime";
import type { SecretSink } from "./secret-sink";

const SECRET_RESOURCE: ApiResourceRef = kindInfo("", "Secret")!;

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}

/** A Secret cert-manager is to fill does not exist: an install problem, reported by name. */
export class SecretMissingError extends Error {
  constructor(readonly namespace: string, readonly secretName: string) {
    super(`Secret ${namespace}/${secretName} does not exist; cert-manager may not create Secrets, so it must be created empty first (deploy/base, or the watcher for a Gateway namespace)`);
    this.name = "SecretMissingError";
  }
}

export interface KubernetesSecretSinkOptions {
  client: KubeClient;
  name: string;
  /** Where the Secret is kept; the first is the one read when they disagree. */
  namespaces: readonly string[];
  /** Waits between attempts after a 409 Conflict. */
  conflictBackoff?: BackoffPolicy;
  /** Attempts per Secret before a write gives up (the caller retries on its next tick). */
  maxAttempts?: number;
}

export class KubernetesSecretSink implements SecretSink {
  constructor(private readonly opts: KubernetesSecretSinkOptions) {
    if (opts.namespaces.length === 0) throw new Error(`Secret ${opts.name}: no namespace to write it to`);
  }

  get description(): string {
    return `Secret ${this.opts.name} in ${this.opts.namespaces.join(", ")}`;
  }

  /**
   * The data every copy holds; undefined when they are empty or disagree (a Gateway
   * namespace whose Secret was just created empty), so the caller writes a fresh set to all.
   */
  async read(): Promise<Record<string, string> | undefined> {
    let first: Record<string, string> | undefined;
    for (const [i, namespace] of this.opts.namespaces.entries()) {
      const data = decode((await this.get(namespace)).data);
      if (i === 0) first = data;
      else if (!sameData(first, data)) return undefined;
    }
    return first;
  }

  async write(data: Record<string, string>): Promise<void> {
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]));
    for (const namespace of this.opts.namespaces) await this.replaceData(namespace, encoded);
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
        if (isNotFound(err)) throw new SecretMissingError(namespace, this.opts.name);
        if (!isConflict(err) || backoff.attempts + 1 >= maxAttempts) throw err;
        await backoff.wait();
      }
    }
  }

  private async get(namespace: string): Promise<SecretObject> {
    try {
      return await this.opts.client.get<SecretObject>(SECRET_RESOURCE, namespace, this.opts.name);
    } catch (err) {
      if (isNotFound(err)) throw new SecretMissingError(namespace, this.opts.name);
      throw err;
    }
  }
}

function decode(data: Record<string, string> | undefined): Record<string, string> | undefined {
  const entries = Object.entries(data ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}
