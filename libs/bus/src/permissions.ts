// NATS permissions that make "one writer per bucket" a rule the server enforces: derived
// from the declarations, each service may publish only to the buckets and streams it
// writes, and read (create consumers on, get from) only those it reads. The deploy
// manifests render these into the nats-server configuration, one user per service.
import { CERT_SIGNING_SUBJECT } from "./codecs/cert-codec";
import { BUCKETS, DEAD_LETTER_SUBJECT_PREFIX, STREAMS, XDS_EVENTS_STREAM, XDS_EVENTS_SUBJECT_PREFIX } from "./declarations";
import { LOCKS_BUCKET } from "./kv-lock";

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
}

/** Every service named as a writer or reader in the declarations. */
export function busServices(): string[] {
  const names = new Set<string>();
  for (const b of Object.values(BUCKETS)) [b.writer, ...b.readers].forEach((n) => names.add(n));
  for (const s of Object.values(STREAMS)) [s.writer, ...s.readers].forEach((n) => names.add(n));
  names.delete("any consumer");
  names.delete("operators");
  return [...names].sort();
}

/** JetStream API subjects for reading a stream: info, direct and message gets, consumers. */
function readStreamApi(stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.*`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
    // Flow-control replies of push consumers (KV watchers are ordered push consumers).
    `$JS.FC.${stream}.>`,
  ];
}

/**
 * The permissions of one service. `manageStreams` adds creating and updating the bus's
 * streams (for whatever runs ensureBus first: standalone mode, or an install job); without
 * it ensureBus only checks that they exist.
 */
export function busPermissions(service: string, opts: { manageStreams?: boolean } = {}): NatsPermissions {
  const publish = new Set<string>([
    "$JS.API.INFO",
    "$JS.API.STREAM.INFO.*",
    // Every consumer may move an undecodable value aside.
    `${DEAD_LETTER_SUBJECT_PREFIX}.>`,
  ]);
  for (const spec of Object.values(BUCKETS)) {
    const stream = `KV_${spec.bucket}`;
    const writes = spec.writer === service;
    if (writes) publish.add(`$KV.${spec.bucket}.>`);
    // A writer reads its own bucket too: chunked writes look at the current manifest.
    if (writes || spec.readers.includes(service)) readStreamApi(stream).forEach((s) => publish.add(s));
  }
  const events = STREAMS[XDS_EVENTS_STREAM];
  if (events.writer === service) publish.add(`${XDS_EVENTS_SUBJECT_PREFIX}.>`);
  if (events.readers.includes(service)) readStreamApi(XDS_EVENTS_STREAM).forEach((s) => publish.add(s));
  const subscribe = new Set<string>(["_INBOX.>"]);
  const signer = BUCKETS.certs.writer;
  if (service === signer) {
    // Answers signing requests (replies go to the requester's inbox) and holds the signer lease.
    subscribe.add(CERT_SIGNING_SUBJECT);
    publish.add("_INBOX.>");
    publish.add(`$KV.${LOCKS_BUCKET}.>`);
    publish.add(`$JS.API.STREAM.CREATE.KV_${LOCKS_BUCKET}`);
    readStreamApi(`KV_${LOCKS_BUCKET}`).forEach((s) => publish.add(s));
  }
  if (BUCKETS.certs.readers.includes(service)) publish.add(CERT_SIGNING_SUBJECT);
  if (opts.manageStreams) {
    publish.add("$JS.API.STREAM.CREATE.*");
    publish.add("$JS.API.STREAM.UPDATE.*");
  }
  return {
    publish: { allow: [...publish].sort() },
    // Replies and consumer deliveries arrive on the connection's inbox.
    subscribe: { allow: [...subscribe].sort() },
  };
}

export interface BusUser {
  user: string;
  /** The password, or `{ env: NAME }`: nats-server reads $NAME from its environment (the deploy manifests' way). */
  password: string | { env: string };
  service: string;
  manageStreams?: boolean;
}

/** An `authorization { users = [...] }` block for nats-server's configuration. */
export function natsAuthorizationConfig(users: BusUser[]): string {
  const q = (s: string) => JSON.stringify(s);
  const list = (xs: string[]) => `[${xs.map(q).join(", ")}]`;
  const lines = users.map((u) => {
    const p = busPermissions(u.service, { manageStreams: u.manageStreams });
    const password = typeof u.password === "string" ? q(u.password) : `$${u.password.env}`;
    return `    { user: ${q(u.user)}, password: ${password}, permissions: { publish: { allow: ${list(p.publish.allow)} }, subscribe: { allow: ${list(p.subscribe.allow)} } } }`;
  });
  return `authorization {\n  users = [\n${lines.join(",\n")}\n  ]\n}\n`;
}
