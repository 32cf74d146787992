// The EndpointSlices of one Service as the endpointslice controller keeps them: at most
// 100 endpoints per slice, a new endpoint goes into the first slice with room (else a new
// slice), a removed one leaves a hole, an empty slice is deleted. Each pod step changes
// exactly one slice, which is what the watcher then publishes.
import type { EndpointSliceInput } from "@gatehouse/bus";
import type { Pod, PodPhase } from "./rollout";

type Conditions = { ready: boolean; serving: boolean; terminating: boolean };

const CONDITIONS: Record<Exclude<PodPhase, "removed">, Conditions> = {
  created: { ready: false, serving: false, terminating: false },
  ready: { ready: true, serving: true, terminating: false },
  terminating: { ready: false, serving: true, terminating: true },
  "not-serving": { ready: false, serving: false, terminating: true },
};

export interface SliceChange {
  /** Slice name. */
  name: string;
  /** The slice after the change, or undefined when it was deleted. */
  slice?: EndpointSliceInput;
}

export class SliceModel {
  private readonly slices = new Map<string, Map<number, Conditions>>();
  private readonly sliceOf = new Map<number, string>();
  private nextSlice = 0;

  constructor(
    private readonly namespace: string,
    private readonly service: string,
    private readonly pods: readonly Pod[],
    private readonly maxPerSlice = 100,
  ) {}

  /** Applies a pod step; returns the one slice it changed. */
  apply(podId: number, phase: PodPhase): SliceChange {
    if (phase === "removed") {
      const name = this.sliceOf.get(podId);
      if (!name) throw new Error(`pod ${podId} is in no slice`);
      const endpoints = this.slices.get(name)!;
      endpoints.delete(podId);
      this.sliceOf.delete(podId);
      if (endpoints.size === 0) {
        this.slices.delete(name);
        return { name };
      }
      return { name, slice: this.render(name) };
    }
    let name = this.sliceOf.get(podId);
    if (!name) {
      name = [...this.slices.keys()].find((n) => this.slices.get(n)!.size < this.maxPerSlice) ?? this.newSlice();
      this.sliceOf.set(podId, name);
    }
    this.slices.get(name)!.set(podId, CONDITIONS[phase]);
    return { name, slice: this.render(name) };
  }

  /** Every slice as it is now. */
  all(): SliceChange[] {
    return [...this.slices.keys()].map((name) => ({ name, slice: this.render(name) }));
  }

  private newSlice(): string {
    const name = `${this.service}-${(this.nextSlice++).toString(36).padStart(5, "0")}`;
    this.slices.set(name, new Map());
    return name;
  }

  private render(name: string): EndpointSliceInput {
    return {
      metadata: { namespace: this.namespace, name, labels: { "kubernetes.io/service-name": this.service } },
      addressType: "IPv4",
      ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      endpoints: [...this.slices.get(name)!].map(([id, conditions]) => {
        const pod = this.pods[id];
        return {
          addresses: [pod.ip],
          conditions,
          zone: pod.zone,
          nodeName: `node-${id % 50}`,
          targetRef: { kind: "Pod", name: pod.name },
        };
      }),
    };
  }
}
