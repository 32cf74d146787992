// A protocol test client that speaks ADS the way Envoy does, SotW or Delta: it ACKs what it
// applies, NACKs what a test tells it to reject (keeping its last good resources), presents
// version_info (SotW) or initial_resource_versions (Delta) when it reconnects, and counts
// messages and bytes. Tests and benchmarks use it for every rule real clients do not reach.
import { Client, credentials, type ChannelCredentials, type ChannelOptions, type ClientDuplexStream } from "@grpc/grpc-js";
import { messageType } from "@gatehouse/xds";
import {
  DELTA_METHOD,
  SOTW_METHOD,
  discoveryCodec,
  type ClientNode,
  type DeltaRequest,
  type DeltaResponse,
  type SotwRequest,
  type SotwResponse,
} from "./messages";

export type XdsClientProtocol = "sotw" | "delta";

export interface ReceivedResource {
  readonly typeUrl: string;
  readonly name: string;
  /** Delta: the resource version; SotW: the version_info of the response that carried it. */
  readonly version: string;
  readonly bytes: Uint8Array;
}

/** One response as received, before it was applied. */
export interface ReceivedResponse {
  readonly typeUrl: string;
  readonly nonce: string;
  readonly version: string;
  readonly resources: readonly ReceivedResource[];
  readonly removed: readonly string[];
  /** Encoded size of the whole response message. */
  readonly bytes: number;
  readonly receivedAt: number;
  /** What the client answered: an ACK, a NACK, or nothing yet (manual mode). */
  answer?: "ack" | "nack";
}

export interface XdsClientTls {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Name to check the server certificate against (default: the host dialled). */
  readonly serverName?: string;
}

/** Envoy's default HTTP/2 initial stream and connection window (Http2ProtocolOptions). */
export const ENVOY_HTTP2_WINDOW = 268_435_456;

export interface XdsClientOptions {
  readonly protocol?: XdsClientProtocol;
  readonly tls?: XdsClientTls;
  /** Return an error message to NACK a response because of this resource. */
  readonly reject?: (resource: ReceivedResource) => string | undefined;
  /** When false, responses wait for ack()/nack() (default true). */
  readonly autoAck?: boolean;
  /** Reconnect (as Envoy does, presenting what it holds) when the stream ends. */
  readonly autoReconnect?: boolean;
  readonly channelOptions?: ChannelOptions;
}

export interface XdsClientStats {
  messagesReceived: number;
  bytesReceived: number;
  resourceBytesReceived: number;
  resourcesReceived: number;
  requestsSent: number;
  acks: number;
  nacks: number;
  streamsOpened: number;
}

interface TypeState {
  /** SotW: the names requested ("*" for wildcard; empty list = legacy wildcard). */
  names: Set<string>;
  subscribed: boolean;
  /** SotW: last accepted version_info. */
  version: string;
  lastNonce: string;
}

type AnyStream = ClientDuplexStream<SotwRequest | DeltaRequest, SotwResponse | DeltaResponse>;

const FULL_STATE = new Set([
  "type.googleapis.com/envoy.config.listener.v3.Listener",
  "type.googleapis.com/envoy.config.cluster.v3.Cluster",
]);

export class XdsTestClient {
  /** type URL → name → resource, as applied (NACKed responses are not applied). */
  readonly resources = new Map<string, Map<string, ReceivedResource>>();
  readonly responses: ReceivedResponse[] = [];
  readonly stats: XdsClientStats = {
    messagesReceived: 0,
    bytesReceived: 0,
    resourceBytesReceived: 0,
    resourcesReceived: 0,
    requestsSent: 0,
    acks: 0,
    nacks: 0,
    streamsOpened: 0,
  };
  readonly protocol: XdsClientProtocol;
  /** The status of the last stream that ended, if any. */
  lastStreamError?: { code: number; details: string };
  private readonly types = new Map<string, TypeState>();
  private readonly waiters = new Set<() => void>();
  private client: Client;
  private stream?: AnyStream;
  private first = true;
  private closed = false;
  private lastResponseBytes = 0;

  private constructor(
    private address: string,
    readonly node: ClientNode,
    private readonly options: XdsClientOptions,
  ) {
    this.protocol = options.protocol ?? "delta";
    this.client = this.makeClient();
  }

  /** Opens an ADS stream to address ("host:port"); nothing is requested until subscribe(). */
  static connect(address: string, node: ClientNode, options: XdsClientOptions = {}): XdsTestClient {
    const c = new XdsTestClient(address, node, options);
    c.openStream();
    return c;
  }

  /** Resources of a type as applied. */
  of(typeUrl: string): Map<string, ReceivedResource> {
    let m = this.resources.get(typeUrl);
    if (!m) this.resources.set(typeUrl, (m = new Map()));
    return m;
  }

  /** Decodes an applied resource with the Envoy protos (undefined when absent). */
  decoded<T = Record<string, unknown>>(typeUrl: string, name: string): T | undefined {
    const r = this.resources.get(typeUrl)?.get(name);
    if (!r) return undefined;
    const type = messageType(typeUrl);
    return type.toObject(type.decode(r.bytes), { longs: Number, enums: String, defaults: false }) as T;
  }

  /**
   * Subscribes to names of a type. SotW: adds them to the requested list (no names: the
   * legacy wildcard on the first request); Delta: sends them in resource_names_subscribe.
   */
  subscribe(typeUrl: string, names: readonly string[] = []): void {
    const st = this.typeState(typeUrl);
    const firstOfType = !st.subscribed;
    st.subscribed = true;
    for (const n of names) st.names.add(n);
    if (this.protocol === "sotw") {
      this.send({ type_url: typeUrl, resource_names: [...st.names], version_info: st.version, response_nonce: st.lastNonce });
    } else {
      const req: DeltaRequest = { type_url: typeUrl, resource_names_subscribe: [...names] };
      if (firstOfType && names.length === 0) req.resource_names_subscribe = [];
      this.send(req);
    }
  }

  /** Unsubscribes names (SotW: removes them from the requested list). */
  unsubscribe(typeUrl: string, names: readonly string[]): void {
    const st = this.typeState(typeUrl);
    for (const n of names) st.names.delete(n);
    for (const n of names) this.resources.get(typeUrl)?.delete(n);
    if (this.protocol === "sotw") {
      this.send({ type_url: typeUrl, resource_names: [...st.names], version_info: st.version, response_nonce: st.lastNonce });
    } else {
      this.send({ type_url: typeUrl, resource_names_unsubscribe: [...names] });
    }
  }

  /** Sends a request as is (the node is added to the first request of a stream). */
  sendRaw(request: SotwRequest | DeltaRequest): void {
    this.send(request);
  }

  /** Answers a response held in manual mode (autoAck false). */
  ack(response: ReceivedResponse): void {
    this.answer(response, undefined);
  }

  nack(response: ReceivedResponse, message: string): void {
    this.answer(response, message);
  }

  /** Waits until predicate(client) holds, re-checking after each message; fails after timeoutMs. */
  waitFor(predicate: (client: XdsTestClient) => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`xDS test client ${this.node.id}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Waits for the next response of a type (after those already received). */
  async nextResponse(typeUrl: string, timeoutMs = 5_000): Promise<ReceivedResponse> {
    const seen = this.responses.length;
    let found: ReceivedResponse | undefined;
    await this.waitFor(
      () => (found = this.responses.slice(seen).find((r) => r.typeUrl === typeUrl)) !== undefined,
      timeoutMs,
      `a response of ${typeUrl}`,
    );
    return found!;
  }

  /** Responses of a type received so far. */
  responsesOf(typeUrl: string): ReceivedResponse[] {
    return this.responses.filter((r) => r.typeUrl === typeUrl);
  }

  /**
   * Closes the stream and opens a new one (to another address if given, e.g. a restarted
   * server), re-requesting every type as Envoy does: SotW with the last accepted
   * version_info and an empty nonce, Delta with initial_resource_versions.
   */
  reconnect(address?: string): void {
    this.dropStream();
    if (address && address !== this.address) {
      this.client.close();
      this.address = address;
      this.client = this.makeClient();
    }
    this.openStream();
    this.resubscribeAll();
  }

  close(): void {
    this.closed = true;
    this.dropStream();
    this.client.close();
    this.notify();
  }

  /** Cancels the current stream without reporting its end (the CANCELLED status is expected). */
  private dropStream(): void {
    const s = this.stream;
    this.stream = undefined;
    if (!s) return;
    s.removeAllListeners();
    s.on("error", () => {});
    s.cancel();
  }

  private makeClient(): Client {
    const tls = this.options.tls;
    let creds: ChannelCredentials = credentials.createInsecure();
    const opts: ChannelOptions = {
      // Channelz only adds per-message work to a test client that many benchmarks run by the thousand.
      "grpc.enable_channelz": 0,
      // Each test client stands for one proxy, and every Envoy has a connection of its own.
      // grpc-js would otherwise put all clients of a process on one shared HTTP/2
      // connection, whose single flow-control window they would all wait on.
      "grpc.use_local_subchannel_pool": 1,
      // Envoy's HTTP/2 windows (initial stream and connection window: 256 MiB), not
      // grpc-js's 64 KiB: a 400 KB assignment then arrives without window round trips.
      "grpc-node.flow_control_window": ENVOY_HTTP2_WINDOW,
      ...this.options.channelOptions,
    };
    if (tls) {
      creds = credentials.createSsl(tls.ca, tls.key ?? null, tls.cert ?? null);
      if (tls.serverName) opts["grpc.ssl_target_name_override"] = tls.serverName;
    }
    return new Client(this.address, creds, opts);
  }

  private openStream(): void {
    this.first = true;
    this.stats.streamsOpened++;
    const onBytes = (n: number) => {
      this.lastResponseBytes = n;
      this.stats.bytesReceived += n;
    };
    let stream: AnyStream;
    if (this.protocol === "sotw") {
      const req = discoveryCodec<SotwRequest>("DiscoveryRequest");
      const res = discoveryCodec<SotwResponse>("DiscoveryResponse", onBytes);
      stream = this.client.makeBidiStreamRequest(SOTW_METHOD, req.serialize, res.deserialize) as AnyStream;
    } else {
      const req = discoveryCodec<DeltaRequest>("DeltaDiscoveryRequest");
      const res = discoveryCodec<DeltaResponse>("DeltaDiscoveryResponse", onBytes);
      stream = this.client.makeBidiStreamRequest(DELTA_METHOD, req.serialize, res.deserialize) as AnyStream;
    }
    this.stream = stream;
    stream.on("data", (msg: SotwResponse | DeltaResponse) => this.onResponse(msg));
    stream.on("error", (err: Error & { code?: number; details?: string }) => {
      this.lastStreamError = { code: err.code ?? -1, details: err.details ?? err.message };
      this.onStreamEnd(stream);
    });
    stream.on("end", () => this.onStreamEnd(stream));
    queueMicrotask(() => this.notify());
  }

  private onStreamEnd(stream: AnyStream): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    this.notify();
    if (this.options.autoReconnect && !this.closed) {
      setTimeout(() => {
        if (this.closed || this.stream) return;
        this.openStream();
        this.resubscribeAll();
      }, 20);
    }
  }

  /** True while a stream is open. */
  get connected(): boolean {
    return this.stream !== undefined;
  }

  private resubscribeAll(): void {
    for (const [typeUrl, st] of this.types) {
      if (!st.subscribed) continue;
      if (this.protocol === "sotw") {
        this.send({ type_url: typeUrl, resource_names: [...st.names], version_info: st.version, response_nonce: "" });
      } else {
        const initial: Record<string, string> = {};
        for (const [name, r] of this.resources.get(typeUrl) ?? []) initial[name] = r.version;
        this.send({ type_url: typeUrl, resource_names_subscribe: [...st.names], initial_resource_versions: initial });
      }
      st.lastNonce = "";
    }
  }

  private typeState(typeUrl: string): TypeState {
    let st = this.types.get(typeUrl);
    if (!st) this.types.set(typeUrl, (st = { names: new Set(), subscribed: false, version: "", lastNonce: "" }));
    return st;
  }

  private send(request: SotwRequest | DeltaRequest): void {
    if (!this.stream) throw new Error(`xDS test client ${this.node.id}: no open stream`);
    const req = { ...request };
    if (this.first) {
      req.node = this.node;
      this.first = false;
    }
    this.stats.requestsSent++;
    this.stream.write(req);
  }

  private onResponse(msg: SotwResponse | DeltaResponse): void {
    this.stats.messagesReceived++;
    const typeUrl = msg.type_url;
    let response: ReceivedResponse;
    if (this.protocol === "sotw") {
      const m = msg as SotwResponse;
      const resources = (m.resources ?? []).map((any) => ({
        typeUrl: any.type_url,
        name: resourceName(any.type_url, any.value),
        version: m.version_info,
        bytes: any.value,
      }));
      response = { typeUrl, nonce: m.nonce, version: m.version_info, resources, removed: [], bytes: this.lastResponseBytes, receivedAt: performance.now() };
    } else {
      const m = msg as DeltaResponse;
      const resources = (m.resources ?? []).map((r) => ({
        typeUrl: r.resource?.type_url ?? typeUrl,
        name: r.name,
        version: r.version,
        bytes: r.resource?.value ?? new Uint8Array(),
      }));
      response = {
        typeUrl,
        nonce: m.nonce,
        version: m.system_version_info,
        resources,
        removed: m.removed_resources ?? [],
        bytes: this.lastResponseBytes,
        receivedAt: performance.now(),
      };
    }
    for (const r of response.resources) this.stats.resourceBytesReceived += r.bytes.byteLength;
    this.stats.resourcesReceived += response.resources.length;
    this.responses.push(response);
    this.typeState(typeUrl).lastNonce = response.nonce;
    if (this.options.autoAck !== false) {
      let error: string | undefined;
      for (const r of response.resources) {
        error = this.options.reject?.(r);
        if (error) break;
      }
      this.answer(response, error);
    } else {
      this.notify();
    }
  }

  private answer(response: ReceivedResponse, error: string | undefined): void {
    const st = this.typeState(response.typeUrl);
    response.answer = error ? "nack" : "ack";
    if (!error) this.apply(response);
    if (error) this.stats.nacks++;
    else this.stats.acks++;
    if (this.stream) {
      const error_detail = error ? { code: 3, message: error } : undefined;
      if (this.protocol === "sotw") {
        if (!error) st.version = response.version;
        this.send({
          type_url: response.typeUrl,
          version_info: st.version,
          resource_names: [...st.names],
          response_nonce: response.nonce,
          error_detail,
        });
      } else {
        this.send({ type_url: response.typeUrl, response_nonce: response.nonce, error_detail });
      }
    }
    this.notify();
  }

  private apply(response: ReceivedResponse): void {
    const held = this.of(response.typeUrl);
    if (this.protocol === "sotw" && FULL_STATE.has(response.typeUrl)) held.clear();
    for (const r of response.resources) held.set(r.name, r);
    for (const n of response.removed) held.delete(n);
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** The name of an encoded resource (SotW responses carry no names beside the Any). */
function resourceName(typeUrl: string, value: Uint8Array): string {
  try {
    const msg = messageType(typeUrl).decode(value) as unknown as { name?: string; cluster_name?: string };
    return msg.name || msg.cluster_name || "";
  } catch {
    return "";
  }
}
