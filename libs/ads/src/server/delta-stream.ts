// Delta (incremental) ADS (DeltaAggregatedResources): subscriptions change by
// resource_names_subscribe/unsubscribe, a reconnecting client states what it holds in
// initial_resource_versions, and each response carries only changed resources and the names
// of removed ones.
import type { XdsResource } from "../cache/index";
import { AdsStream, type Diff, type Outstanding, type TypeState } from "./ads-stream";
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from "./discovery-messages";

export class DeltaStream extends AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  readonly protocol = "delta" as const;

  onRequest(req: DeltaDiscoveryRequest): void {
    const st = this.requestedType(req.node, req.type_url);
    if (!st) return;
    const typeUrl = st.typeUrl;
    const subscribe = req.resource_names_subscribe ?? [];
    const unsubscribe = req.resource_names_unsubscribe ?? [];
    if (!st.started) {
      st.started = true;
      st.dirtyAll = true;
      st.subscription.applyDelta(subscribe, unsubscribe);
      // A new wildcard subscriber waits for a first answer to finish initializing, even when
      // it has to say that there is nothing (one that reconnects with resources has one).
      const initial = req.initial_resource_versions ?? {};
      st.mustRespond = st.subscription.wildcard && Object.keys(initial).length === 0;
      // What the client already holds (a reconnect): unchanged resources are not sent again,
      // and those that vanished meanwhile are named in removed_resources.
      for (const [name, version] of Object.entries(initial)) {
        st.held.set(name, { version });
      }
      if (this.debug) this.log.debug({ typeUrl, subscribe: subscribe.length, initial: st.held.size }, "subscribed");
    } else {
      const nonce = req.response_nonce ?? "";
      if (nonce) this.acknowledge(st, nonce, req.error_detail ?? undefined);
      this.applySubscriptionChange(st, st.subscription.applyDelta(subscribe, unsubscribe));
    }
    this.scheduleFlush();
  }

  protected removalIsSilent(): boolean {
    return false;
  }

  protected isRejected(st: TypeState, resource: XdsResource): boolean {
    return this.ctx.nacks.isRejectedResource(this.nodeId, st.typeUrl, resource.name, resource.version);
  }

  protected rememberRejection(st: TypeState, out: Outstanding): void {
    this.ctx.nacks.rememberResources(this.nodeId, st.typeUrl, out.upserts);
  }

  protected forgetRejection(st: TypeState, out: Outstanding): void {
    if (out.upserts.length && this.ctx.nacks.knows(this.nodeId)) this.ctx.nacks.forgetResources(this.nodeId, st.typeUrl, out.upserts.map(([n]) => n));
  }

  protected respond(st: TypeState, diff: Diff): void {
    const groupKnown = this.ctx.cache.hasGroup(this.group);
    if (!diff.upserts.length && !diff.removals.length && !(st.mustRespond && groupKnown)) {
      const owed = st.mustRespond && !groupKnown;
      this.commit(st, diff);
      st.mustRespond = owed;
      return;
    }
    const nonce = this.nextNonce();
    const version = this.ctx.cache.typeVersion(this.group, st.typeUrl);
    const response: DeltaDiscoveryResponse = {
      system_version_info: version,
      type_url: st.typeUrl,
      nonce,
      resources: diff.upserts.map((r) => ({
        name: r.name,
        version: r.version,
        resource: { type_url: r.typeUrl, value: r.bytes },
      })),
      removed_resources: diff.removals,
    };
    this.recordResponse(st, diff, diff.upserts, nonce, version);
    if (this.debug) this.log.debug({ typeUrl: st.typeUrl, nonce, upserts: diff.upserts.length, removals: diff.removals.length }, "response");
    this.call.write(response);
  }
}
