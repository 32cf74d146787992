// Which Gateways read which objects, in both directions. Rebuilt from the backend's
// dependency map after every batch; the affected Gateways of a change are those that read
// a changed object before the change or after it (a new route attaches, an old one leaves).

export class DependencyIndex {
  private forward = new Map<string, Set<string>>();
  private reverse = new Map<string, Set<string>>();

  replace(deps: Map<string, Set<string>>): void {
    this.forward = deps;
    this.reverse = new Map();
    for (const [gw, ids] of deps) {
      for (const id of ids) {
        let set = this.reverse.get(id);
        if (!set) this.reverse.set(id, (set = new Set()));
        set.add(gw);
      }
    }
  }

  gatewaysReading(id: string): Iterable<string> {
    return this.reverse.get(id) ?? [];
  }

  dependenciesOf(gw: string): Iterable<string> {
    return this.forward.get(gw) ?? [];
  }

  gateways(): string[] {
    return [...this.forward.keys()];
  }
}
