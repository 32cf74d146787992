// The dead letter: a value a consumer cannot decode is published, as it was stored, to
// `gatehouse.deadletter.<bucket>` (kept by the `deadletter` stream) with the bucket, key,
// revision and error in headers, so an operator can inspect it while consumers go on.
import type { NatsConnection } from "nats";
import { headers } from "nats";
import { deadLetterSubject } from "./declarations";

export const DEAD_LETTER_HEADERS = {
  bucket: "Gatehouse-Bucket",
  key: "Gatehouse-Key",
  revision: "Gatehouse-Revision",
  error: "Gatehouse-Error",
  messageType: "Gatehouse-Message-Type",
} as const;

export interface DeadLetter {
  bucket: string;
  key: string;
  revision: number;
  error: string;
  messageType: string;
  value: Uint8Array;
}

export async function publishDeadLetter(nc: NatsConnection, letter: DeadLetter): Promise<void> {
  const h = headers();
  h.set(DEAD_LETTER_HEADERS.bucket, letter.bucket);
  h.set(DEAD_LETTER_HEADERS.key, letter.key);
  h.set(DEAD_LETTER_HEADERS.revision, String(letter.revision));
  // Header values are one line; an error message may not be.
  h.set(DEAD_LETTER_HEADERS.error, letter.error.replace(/[\r\n]+/g, " ").slice(0, 1024));
  h.set(DEAD_LETTER_HEADERS.messageType, letter.messageType);
  // The msgID makes a value replayed again after a restart land once in the stream.
  await nc.jetstream().publish(deadLetterSubject(letter.bucket), letter.value, {
    headers: h,
    msgID: `${letter.bucket}:${letter.key}:${letter.revision}`,
  });
}

/** Reads a dead letter back from a stored message's headers and data. */
export function parseDeadLetter(msg: { headers?: { get(k: string): string }; data: Uint8Array }): DeadLetter {
  const get = (k: string) => msg.headers?.get(k) ?? "";
  return {
    bucket: get(DEAD_LETTER_HEADERS.bucket),
    key: get(DEAD_LETTER_HEADERS.key),
    revision: Number(get(DEAD_LETTER_HEADERS.revision)),
    error: get(DEAD_LETTER_HEADERS.error),
    messageType: get(DEAD_LETTER_HEADERS.messageType),
    value: msg.data,
  };
}
