// Remembers, per node, what it rejected, so that a reconnecting proxy is not sent the same bad
// resource or response again (and again): a NACK keeps the last good config until the
// configuration really changes. Bounded, oldest node forgotten first.

const DEFAULT_MAX_NODES = 10_000;

interface NodeMemory {
  /** type URL → SotW version_info that was NACKed. */
  readonly versions: Map<string, string>;
  /** type URL → resource name → version that was NACKed (Delta). */
  readonly resources: Map<string, Map<string, string>>;
}

export class NackMemory {
  private readonly nodes = new Map<string, NodeMemory>();

  constructor(private readonly maxNodes = DEFAULT_MAX_NODES) {}

  rememberVersion(nodeId: string, typeUrl: string, version: string): void {
    this.node(nodeId).versions.set(typeUrl, version);
  }

  isRejectedVersion(nodeId: string, typeUrl: string, version: string): boolean {
    return this.nodes.get(nodeId)?.versions.get(typeUrl) === version;
  }

  rememberResources(nodeId: string, typeUrl: string, resources: Iterable<readonly [string, string]>): void {
    const node = this.node(nodeId);
    let byName = node.resources.get(typeUrl);
    if (!byName) node.resources.set(typeUrl, (byName = new Map()));
    for (const [name, version] of resources) byName.set(name, version);
  }

  isRejectedResource(nodeId: string, typeUrl: string, name: string, version: string): boolean {
    return this.nodes.get(nodeId)?.resources.get(typeUrl)?.get(name) === version;
  }

  /** Whether the node rejected anything (most never do: the ACK path checks this first). */
  knows(nodeId: string): boolean {
    return this.nodes.has(nodeId);
  }

  /** An ACK of a resource version ends the memory of an older rejection of it. */
  forgetResources(nodeId: string, typeUrl: string, names: Iterable<string>): void {
    const byName = this.nodes.get(nodeId)?.resources.get(typeUrl);
    if (!byName) return;
    for (const n of names) byName.delete(n);
  }

  private node(nodeId: string): NodeMemory {
    let node = this.nodes.get(nodeId);
    if (node) {
      // Refresh its place in the insertion order: the map doubles as an LRU.
      this.nodes.delete(nodeId);
    } else {
      node = { versions: new Map(), resources: new Map() };
      if (this.nodes.size >= this.maxNodes) this.nodes.delete(this.nodes.keys().next().value!);
    }
    this.nodes.set(nodeId, node);
    return node;
  }
}
