/**
 * How a queue item becomes bytes in a SharedArrayBuffer and back. Two codecs behind a one-byte tag:
 * msgpackr for the common small items (numbers, strings, flat records, tuples: about 10× faster than
 * v8.serialize here, ../../../shared/notes/shared-memory.md), and v8.serialize for everything else,
 * because it is structured clone itself (Map, Set, Error, RegExp, holes, cycles, `-0`) and throws
 * `DataCloneError` for what cannot cross (functions, symbols), where msgpackr would silently write
 * `undefined`.
 */
import { Packr } from "msgpackr";
import { deserialize, serialize } from "node:v8";
import { NotSerializableError } from "../errors";

/** First byte of every encoded item. */
const enum Tag {
  Msgpack = 0,
  V8 = 1,
}

// structuredClone: true keeps undefined, BigInt, Date and typed arrays exact; its records (on by default)
// make an array of same-shaped objects about 2× faster. The options with a history of bugs (structures,
// sequential, bundleStrings: notes) stay off, so every item carries its own record definitions and decodes
// on its own, in any thread.
const packr = new Packr({ structuredClone: true });

/** Nodes the fast-path check visits before it gives up and lets v8 take the item (v8 is exact for any size). */
const MAX_NODES = 4096;
const MAX_DEPTH = 16;

/**
 * True when msgpackr round-trips `value` exactly as structured clone would. Everything it cannot be
 * sure of (a class instance, a Map, a hole, a cycle, `-0`) answers false, so a wrong answer costs speed only.
 */
function msgpackSafe(value: unknown): boolean {
  let budget = MAX_NODES;
  const visit = (v: unknown, depth: number): boolean => {
    if (--budget < 0 || depth > MAX_DEPTH) return false;
    switch (typeof v) {
      case "string":
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
            if (!Object.hasOwn(v, key) || key === "__proto__") return false;
            if (!visit((v as Record<string, unknown>)[key], depth + 1)) return false;
          }
          // Symbol keys are dropped by structured clone and by msgpackr alike; non-enumerable ones are not counted above.
          return Object.getOwnPropertyNames(v).length === Object.keys(v).length;
        }
        if (v instanceof Date) return proto === Date.prototype;
        // Typed arrays (not DataView, not Buffer: Buffer decodes as a plain Uint8Array) over unshared memory.
        if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !Buffer.isBuffer(v)) return !(v.buffer instanceof SharedArrayBuffer);
        return false;
      }
      default:
        return false;
    }
  };
  return visit(value, 0);
}

/** What a value is, for an error message: `function`, `symbol`, `Socket`, `Promise` … */
export function describeType(value: unknown): string {
  if (typeof value === "function") return value.name ? `function ${value.name}` : "function";
  if (typeof value !== "object" || value === null) return typeof value;
  const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor;
  return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "object";
}

/**
 * Encodes `value` for a queue. The bytes are a fresh Uint8Array the caller copies into the ring.
 *
 * @throws NotSerializableError when `value` (or something inside it) cannot be cloned, naming its type.
 */
export function encodeItem(value: unknown): Uint8Array {
  if (msgpackSafe(value)) {
    const body = packr.pack(value);
    const out = new Uint8Array(body.length + 1);
    out[0] = Tag.Msgpack;
    out.set(body, 1);
    return out;
  }
  let body: Buffer;
  try {
    body = serialize(value);
  } catch (error) {
    throw new NotSerializableError(
      `cannot put this ${describeType(value)} on a queue: ${(error as Error).message} ` +
        "Queue items are copied as structured clone copies them: plain data, Dates, Maps, Sets, typed arrays and errors cross; " +
        "functions, symbols, sockets and promises do not. Send the data the receiver needs instead.",
      { cause: error },
    );
  }
  const out = new Uint8Array(body.length + 1);
  out[0] = Tag.V8;
  out.set(body, 1);
  return out;
}

/**
 * Decodes an item. `bytes` must be the caller's own copy (not a view into the ring): decoded typed arrays
 * may be views into it, and a ring slot is reused as soon as the item is taken.
 */
export function decodeItem(bytes: Uint8Array): unknown {
  const body = bytes.subarray(1);
  switch (bytes[0]) {
    case Tag.Msgpack:
      return packr.unpack(body);
    case Tag.V8:
      return deserialize(body);
    default:
      throw new Error(`corrupt queue item: unknown codec tag ${String(bytes[0])}`);
  }
}
