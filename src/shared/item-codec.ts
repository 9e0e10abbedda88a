/**
 * How a queue item becomes bytes in a SharedArrayBuffer and back. Two codecs behind a one-byte tag:
 * msgpackr for the common small items (numbers, strings, flat records, tuples: about 10× faster than
 * v8.serialize here, ../../../shared/notes/shared-memory.md), and v8.serialize for everything else,
 * because it is structured clone itself (Map, Set, Error, RegExp, holes, cycles, `-0`) and throws
 * `DataCloneError` for what cannot cross (functions, symbols), where msgpackr would silently write
 * `undefined`.
 */
import type { Packr } from "msgpackr";
import { lazyV8 } from "./lazy-v8";
import { NotSerializableError } from "../errors";
import { packSharedItem } from "./item-shared";
import { compactScratch, decodeCompact, decodeCompactAt, encodeCompact, encodeCompactScratch } from "./compact-codec";

/** Which codec wrote an item: stored beside its bytes. */
export const enum Tag {
  /** msgpackr, nothing binary inside: may be decoded from a reused buffer. */
  Msgpack = 0,
  /** v8.serialize: decoded typed arrays may be views into the bytes, so they must be the reader's own. */
  V8 = 1,
  /** A number as 8 bytes (little-endian float64): the commonest item, no codec at all. */
  Float64 = 2,
  /** A string as UTF-8. */
  Utf8 = 3,
  /** msgpackr with typed arrays inside: decoded from the reader's own copy, as V8. */
  MsgpackBinary = 4,
  /** v8.serialize of an item holding shared objects, their buffers broadcast beside it (./item-shared). */
  V8Shared = 5,
  /** A flat array or record of numbers, short strings, booleans, null, undefined (./compact-codec). */
  Compact = 6,
}

/** An encoded item: its codec and its bytes. */
export interface Encoded {
  readonly tag: Tag;
  readonly body: Uint8Array;
  /** Bytes of `body` that are the item, when fewer than all (`encodeItemScratch`'s reused buffer). @default body.length */
  readonly length?: number;
  /** Tag.V8Shared: the buffers of the shared objects inside, which travel beside the ring. */
  readonly buffers?: SharedArrayBuffer[];
}

// structuredClone: true keeps undefined, BigInt, Date and typed arrays exact. Records (msgpackr's
// inline structure definitions) make an array of same-shaped objects about 2× faster but a lone small
// object slower (its definition travels with it): arrays of objects are packed with them, the rest
// without, and one plain unpacker reads both. The options with a history of bugs (structures,
// sequential, bundleStrings: notes) stay off, so every item decodes on its own, in any thread.
//
// Loaded on the first item that needs it: msgpackr's load (with the probe for its native accelerator)
// took about 8 ms of every new Process that was handed a queue, most of the gap to a bare Worker's
// start-up, and numbers, strings, flat tuples and records never use it.
let packrs: { plain: Packr; records: Packr } | undefined;
function msgpackr(): { plain: Packr; records: Packr } {
  if (packrs === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load (see above)
    const { Packr: P } = require("msgpackr") as typeof import("msgpackr");
    packrs = { plain: new P({ structuredClone: true, useRecords: false }), records: new P({ structuredClone: true }) };
  }
  return packrs;
}

/** Nodes the fast-path check visits before it gives up and lets v8 take the item (v8 is exact for any size). */
const MAX_NODES = 4096;
const MAX_DEPTH = 16;

/**
 * True when msgpackr round-trips `value` exactly as structured clone would. Everything it cannot be
 * sure of (a class instance, a Map, a hole, a cycle, `-0`) answers false, so a wrong answer costs speed only.
 */
function msgpackSafe(value: unknown): 0 | 1 | 2 {
  let budget = MAX_NODES;
  let binary = false;
  const visit = (v: unknown, depth: number): boolean => {
    if (--budget < 0 || depth > MAX_DEPTH) return false;
    switch (typeof v) {
      case "string":
        // UTF-8 (msgpackr's and ours) cannot hold a lone surrogate: it would come back as U+FFFD.
        return wellFormed(v);
      case "boolean":
      case "undefined":
      case "bigint":
        return true;
      case "number":
        // msgpackr writes -0 as the integer 0.
        return v !== 0 || 1 / v > 0;
      case "object": {
        if (v === null) return true;
        if (Array.isArray(v)) {
          if (Object.getPrototypeOf(v) !== Array.prototype) return false;
          for (let i = 0; i < v.length; i++) {
            // A hole: msgpackr fills it with undefined, structured clone keeps it.
            if (!(i in v)) return false;
            if (!visit(v[i], depth + 1)) return false;
          }
          return true;
        }
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto === Object.prototype) {
          for (const key in v) {
            // An own "__proto__" key would be assigned as the prototype by the decoder.
            if (!Object.hasOwn(v, key) || key === "__proto__" || !wellFormed(key)) return false;
            if (!visit((v as Record<string, unknown>)[key], depth + 1)) return false;
          }
          // Symbol keys are dropped by structured clone and by msgpackr alike; non-enumerable ones are not counted above.
          return Object.getOwnPropertyNames(v).length === Object.keys(v).length;
        }
        if (v instanceof Date) return proto === Date.prototype;
        // Typed arrays (not DataView, not Buffer: Buffer decodes as a plain Uint8Array) over unshared memory.
        if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !Buffer.isBuffer(v) && !(v.buffer instanceof SharedArrayBuffer)) {
          binary = true;
          return true;
        }
        return false;
      }
      default:
        return false;
    }
  };
  return visit(value, 0) ? (binary ? 2 : 1) : 0;
}

/** No lone surrogates (ES2024's String.prototype.isWellFormed; Node 20 has it, this project's lib does not type it). */
function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** What a value is, for an error message: `function`, `symbol`, `Socket`, `Promise` … */
export function describeType(value: unknown): string {
  if (typeof value === "function") return value.name ? `function ${value.name}` : "function";
  if (typeof value !== "object" || value === null) return typeof value;
  const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor;
  return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "object";
}

// Numbers go through this thread's one 8-byte scratch (typed arrays use the machine's byte order, the
// same for every thread that shares the queue).
const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * Encodes `value` for a queue. The body is a fresh array (or msgpackr's) the caller copies into the
 * ring before encoding anything else.
 *
 * @throws NotSerializableError when `value` (or something inside it) cannot be cloned, naming its type.
 */
export function encodeItem(value: unknown): Encoded {
  return encodeWith(value, false);
}

/**
 * `encodeItem` for a caller that copies the body into the ring at once, in the same synchronous
 * stretch (`putSync`, `putNowait`): small bodies are views of this thread's scratch, overwritten by
 * the next encode, so the commonest items cost no allocation of their bytes.
 */
export function encodeItemScratch(value: unknown): Encoded {
  return encodeWith(value, true);
}

function encodeWith(value: unknown, scratch: boolean): Encoded {
  if (typeof value === "number") {
    f64[0] = value;
    return { tag: Tag.Float64, body: scratch ? f64bytes : f64bytes.slice() };
  }
  if (typeof value === "string" && wellFormed(value)) return { tag: Tag.Utf8, body: utf8.encode(value) };
  if (scratch) {
    const n = encodeCompactScratch(value);
    if (n >= 0) return { tag: Tag.Compact, body: compactScratch(), length: n };
  } else {
    const compact = encodeCompact(value);
    if (compact !== undefined) return { tag: Tag.Compact, body: compact };
  }
  const safe = msgpackSafe(value);
  if (safe !== 0) {
    const { plain, records } = msgpackr();
    const packr = Array.isArray(value) && value.length > 1 && typeof value[0] === "object" && value[0] !== null ? records : plain;
    return { tag: safe === 2 ? Tag.MsgpackBinary : Tag.Msgpack, body: packr.pack(value) };
  }
  try {
    const shared = packSharedItem(value);
    if (shared !== undefined) return { tag: Tag.V8Shared, body: shared.body, buffers: shared.buffers };
    return { tag: Tag.V8, body: lazyV8().serialize(value) };
  } catch (error) {
    throw new NotSerializableError(
      `cannot put this ${describeType(value)} on a queue: ${(error as Error).message} ` +
        "Queue items are copied as structured clone copies them: plain data, Dates, Maps, Sets, typed arrays and errors cross; " +
        "functions, symbols, sockets and promises do not. Send the data the receiver needs instead.",
      { cause: error },
    );
  }
}

/**
 * True when an item of `tag` can be decoded straight from the ring's bytes (`decodeItemAt`) by the
 * consumer holding the get lock: its decoder copies everything it keeps, and calls nothing that could
 * touch the queue.
 */
export function decodesInPlace(tag: Tag): boolean {
  return tag === Tag.Float64 || tag === Tag.Compact;
}

/** Decodes an item whose tag `decodesInPlace`, from the `n` bytes of `b` at `from` (a view of the ring). */
export function decodeItemAt(tag: Tag, b: Uint8Array, from: number): unknown {
  if (tag === Tag.Compact) return decodeCompactAt(b, from);
  for (let k = 0; k < 8; k++) f64bytes[k] = b[from + k]!;
  return f64[0];
}

/** True when values decoded from `tag` may be views into the bytes: the reader must pass its own copy. */
export function needsOwnBytes(tag: Tag): boolean {
  return tag === Tag.V8 || tag === Tag.MsgpackBinary || tag === Tag.V8Shared;
}

/**
 * Decodes an item. For tags where `needsOwnBytes`, `body` must be the caller's own copy (not a view into
 * the ring, not a reused buffer): decoded typed arrays may be views into it.
 */
export function decodeItem(tag: Tag, body: Uint8Array): unknown {
  switch (tag) {
    case Tag.Float64:
      f64bytes.set(body.subarray(0, 8));
      return f64[0];
    case Tag.Utf8:
      return fromUtf8.decode(body);
    case Tag.Msgpack:
    case Tag.MsgpackBinary:
      return msgpackr().plain.unpack(body);
    case Tag.V8:
      return lazyV8().deserialize(body);
    case Tag.Compact:
      return decodeCompact(body);
    default:
      throw new Error(`corrupt queue item: unknown codec tag ${String(tag)}`);
  }
}
