// State of the World ADS (StreamAggregatedResources). Each response carries a version_info
// and a nonce per type; Listener and Cluster responses carry the full set, the others only
// what changed. The version is a hash of what the client holds after the response, so a
// client reconnecting to a restarted server with a rebuilt cache gets comparable versions.
import { isFullStateType, setVersion, type XdsResource } from "../cache/index";
import { AdsStream, type Diff, type Outstanding, type TypeState } from "./ads-stream";
import type { DiscoveryRequest, DiscoveryResponse } from "./discovery-messages";

export class SotwStream extends AdsStream<DiscoveryRequest, DiscoveryResponse> {
  readonly protocol = "sotw" as const;

  onRequest(req: DiscoveryRequest): void {
    const st = this.requestedType(req.node, req.type_url);
    if (!st) return;
    const typeUrl = st.typeUrl;
    const names = req.resource_names ?? [];
    const nonce = req.response_nonce ?? "";
    if (!st.started) {
      // The first request of a type on this stream, also a reconnect presenting an old
      // version_info with an empty nonce: answer with everything it subscribes to.
      st.started = true;
      st.dirtyAll = true;
      st.mustRespond = true;
      st.subscription.applySotw(names);
      if (this.debug) this.log.debug({ typeUrl, names: names.length, clientVersion: req.version_info ?? "" }, "subscribed");
    } else {
      if (nonce) this.acknowledge(st, nonce, req.error_detail ?? undefined);
      this.applySubscriptionChange(st, st.subscription.applySotw(names));
    }
    this.scheduleFlush();
  }

  protected removalIsSilent(st: TypeState): boolean {
    // SotW can only say "gone" for full-state types (by leaving the resource out).
    return !isFullStateType(st.typeUrl);
  }

  protected isRejected(): boolean {
    // SotW rejections are remembered per response version (see respond).
    return false;
  }

  protected rememberRejection(st: TypeState, out: Outstanding): void {
    this.ctx.nacks.rememberVersion(this.nodeId, st.typeUrl, out.version);
  }

  protected forgetRejection(): void {}

  protected respond(st: TypeState, diff: Diff): void {
    const full = isFullStateType(st.typeUrl);
    const groupKnown = this.ctx.cache.hasGroup(this.group);
    const answerEmpty = st.mustRespond && full && groupKnown;
    if (!diff.upserts.length && !diff.removals.length && !answerEmpty) {
      // Until the group's configuration exists, the first answer of a full-state type is
      // still owed: it goes out (possibly empty) as soon as the group appears.
      const owed = st.mustRespond && full && !groupKnown;
      this.commit(st, diff);
      st.mustRespond = owed;
      return;
    }
    const held = new Map(st.held);
    for (const r of diff.upserts) held.set(r.name, { version: r.version, resource: r });
    for (const n of [...diff.removals, ...diff.drops]) held.delete(n);
    const version = setVersion([...held].map(([n, h]) => [n, h.version] as const));
    if (this.ctx.nacks.isRejectedVersion(this.nodeId, st.typeUrl, version)) {
      // This proxy rejected exactly this state before: it keeps its last good one, and
      // sending the same thing again would only loop.
      if (this.debug) this.log.debug({ typeUrl: st.typeUrl, version }, "not resending a rejected version");
      this.commit(st, diff);
      return;
    }
    const resources: XdsResource[] = full ? [...held.values()].map((h) => h.resource!).filter(Boolean) : diff.upserts;
    const nonce = this.nextNonce();
    const response: DiscoveryResponse = {
      version_info: version,
      type_url: st.typeUrl,
      nonce,
      resources: resources.map((r) => ({ type_url: r.typeUrl, value: r.bytes })),
    };
    this.recordResponse(st, diff, resources, nonce, version);
    if (this.debug) this.log.debug({ typeUrl: st.typeUrl, version, nonce, resources: resources.length }, "response");
    this.call.write(response);
  }
}
