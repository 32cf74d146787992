// One watch connection: a chunked response of JSON lines ({"type":..., "object":...}), first
// the changes since the requested resourceVersion (or synthetic ADDED events for the current
// state when none is given), then live changes; BOOKMARKs when the client allows them; an
// ERROR event with a 410 Status when the resourceVersion is older than the kept history;
// closed after timeoutSeconds. Selectors are applied to both sides of a change, so an object
// that stops matching is seen as DELETED and one that starts matching as ADDED.
import type { ServerResponse } from "node:http";
import { apiVersionOf } from "@gatehouse/kube";
import { type ApiResource } from "./api-resources";
import type { KubeObject, ObjectStore, StoreEvent } from "./object-store";
import { resourceKey } from "./object-store";
import type { ObjectMatcher } from "./selectors";
import { gone } from "./status-errors";

export interface WatchRequest {
  resource: ApiResource;
  namespace?: string;
  matches: ObjectMatcher;
  resourceVersion?: string;
  allowBookmarks: boolean;
  bookmarkIntervalMs: number;
  timeoutSeconds?: number;
}

export class WatchStream {
  private unsubscribe: (() => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly res: ServerResponse,
    private readonly req: WatchRequest,
    private readonly onClose: (w: WatchStream) => void,
  ) {}

  start(): void {
    this.res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache, private" });
    this.res.flushHeaders();
    this.res.on("close", () => this.close());
    const rv = this.req.resourceVersion;
    if (rv === undefined || rv === "" || rv === "0") {
      for (const obj of this.store.list(this.req.resource, this.req.namespace)) {
        if (this.req.matches(obj)) this.send("ADDED", obj);
      }
    } else {
      const from = Number(rv);
      const events = Number.isInteger(from) ? this.store.eventsSince(this.req.resource, from) : undefined;
      if (!events) {
        const oldest = this.store.oldestResumableVersion;
        this.sendRaw({ type: "ERROR", object: gone(`too old resource version: ${rv} (${oldest})`).toStatus() });
        this.close();
        return;
      }
      for (const e of events) this.deliver(e);
    }
    // Replay and subscription happen in the same tick: no change can fall between them.
    this.unsubscribe = this.store.subscribe((e) => {
      if (resourceKey(e.resource) === resourceKey(this.req.resource)) this.deliver(e);
    });
    if (this.req.allowBookmarks) {
      this.timers.push(setInterval(() => this.bookmark(), this.req.bookmarkIntervalMs));
    }
    if (this.req.timeoutSeconds !== undefined) {
      this.timers.push(setTimeout(() => this.close(), this.req.timeoutSeconds * 1000));
    }
  }

  /** Sends a BOOKMARK with the current resourceVersion (when the client asked for them). */
  bookmark(): void {
    if (!this.req.allowBookmarks || this.closed) return;
    const r = this.req.resource;
    this.sendRaw({
      type: "BOOKMARK",
      object: { apiVersion: apiVersionOf(r), kind: r.kind, metadata: { resourceVersion: String(this.store.resourceVersion) } },
    });
  }

  /** Ends the stream: cleanly (the client sees the response end) or by resetting the socket. */
  close(abrupt = false): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    if (abrupt) this.res.socket?.destroy();
    else this.res.end();
    this.onClose(this);
  }

  private deliver(e: StoreEvent): void {
    const inNs = (o: KubeObject | undefined) => !!o && (this.req.namespace === undefined || o.metadata.namespace === this.req.namespace);
    const now = inNs(e.object) && this.req.matches(e.object);
    if (e.type !== "MODIFIED") {
      if (now) this.send(e.type, e.object);
      return;
    }
    const before = inNs(e.previous) && this.req.matches(e.previous!);
    if (now && before) this.send("MODIFIED", e.object);
    else if (now) this.send("ADDED", e.object);
    else if (before) this.send("DELETED", e.object);
  }

  private send(type: string, object: KubeObject): void {
    this.sendRaw({ type, object });
  }

  private sendRaw(event: unknown): void {
    if (!this.closed) this.res.write(JSON.stringify(event) + "\n");
  }
}
