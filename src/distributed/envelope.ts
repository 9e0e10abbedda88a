/**
 * What crosses Redis: a value `v8.serialize`d (structured clone's format, so Maps, Dates, typed
 * arrays and the ship payload survive as they do between threads) and signed with the cluster's
 * shared key (HMAC-SHA256). A job is code: a worker verifies the signature before it deserializes
 * anything, so whoever can write to Redis but lacks the key cannot make a worker run (or even parse)
 * their bytes. Results are signed the same way, so a forged result is dropped by the caller.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { deserialize, serialize } from "node:v8";

/** A signed value as stored in a BullMQ job's data or pushed to a result list (JSON-safe). */
export interface Envelope {
  /** base64 of `v8.serialize(value)`. */
  readonly b: string;
  /** hex HMAC-SHA256 of the bytes, or "" when the cluster runs without a key (`--insecure`). */
  readonly s: string;
}

/** The cluster key, or null for a cluster that was told to run unsigned payloads (`--insecure`). */
export type ClusterKey = Buffer | null;

export function seal(value: unknown, key: ClusterKey): Envelope {
  const bytes = serialize(value);
  return { b: bytes.toString("base64"), s: key === null ? "" : sign(bytes, key) };
}

/** The value inside `envelope`, or undefined when its signature is not the key's (nothing is deserialized then). */
export function open(envelope: unknown, key: ClusterKey): { value: unknown } | undefined {
  if (typeof envelope !== "object" || envelope === null) return undefined;
  const { b, s } = envelope as Partial<Envelope>;
  if (typeof b !== "string" || typeof s !== "string") return undefined;
  const bytes = Buffer.from(b, "base64");
  if (key !== null) {
    const expected = Buffer.from(sign(bytes, key), "hex");
    const given = Buffer.from(s, "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  }
  return { value: deserialize(bytes) as unknown };
}

function sign(bytes: Buffer, key: Buffer): string {
  return createHmac("sha256", key).update(bytes).digest("hex");
}
