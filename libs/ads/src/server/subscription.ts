// What one stream wants of one type: a wildcard flag and a set of names, following the xDS
// rules: an empty first request is the legacy wildcard (kept while requests stay empty), "*"
// subscribes to everything, "*" plus names is the wildcard with names pinned, and in SotW an
// empty list after a non-empty one unsubscribes from everything.

export interface SubscriptionDelta {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly wildcardChanged: boolean;
}

const WILDCARD = "*";

export class Subscription {
  wildcard = false;
  readonly names = new Set<string>();
  private legacy = false;
  private started = false;

  matches(name: string): boolean {
    return this.wildcard || this.names.has(name);
  }

  /** Applies the resource_names of a SotW request (the full list every time). */
  applySotw(resourceNames: readonly string[]): SubscriptionDelta {
    const wasWildcard = this.wildcard;
    if (!this.started) {
      this.started = true;
      this.legacy = resourceNames.length === 0;
    } else if (resourceNames.length > 0) {
      this.legacy = false;
    }
    const next = new Set(resourceNames.filter((n) => n !== WILDCARD));
    this.wildcard = this.legacy || resourceNames.includes(WILDCARD);
    const added = [...next].filter((n) => !this.names.has(n));
    const removed = [...this.names].filter((n) => !next.has(n));
    this.names.clear();
    for (const n of next) this.names.add(n);
    return { added, removed, wildcardChanged: wasWildcard !== this.wildcard };
  }

  /** Applies a Delta request's subscribe and unsubscribe lists. */
  applyDelta(subscribe: readonly string[], unsubscribe: readonly string[]): SubscriptionDelta {
    const wasWildcard = this.wildcard;
    if (!this.started) {
      this.started = true;
      if (subscribe.length === 0) this.wildcard = true;
    }
    const added: string[] = [];
    const removed: string[] = [];
    for (const n of subscribe) {
      if (n === WILDCARD) this.wildcard = true;
      else {
        // A name subscribed again counts as added: the client wants it (re)sent.
        this.names.add(n);
        added.push(n);
      }
    }
    for (const n of unsubscribe) {
      if (n === WILDCARD) this.wildcard = false;
      else if (this.names.delete(n)) removed.push(n);
    }
    return { added, removed, wildcardChanged: wasWildcard !== this.wildcard };
  }
}
