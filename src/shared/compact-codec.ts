/**
 * The queue's codec for the commonest small items: one flat array or plain record (up to 32 entries)
 * of numbers, short strings, booleans, `null` and `undefined` — `["abc", 42]`, `{ id, name, value, ok }`.
 * Written by hand because msgpackr's general pack/unpack (and the check that it is exact) were a third
 * of a small item's time through a queue. Anything else (nesting, long or non-ASCII keys, other
 * types) answers `undefined` and goes to the general codecs, so this one is exact by construction:
 * numbers are float64 (or int32 when they are one, `-0` excluded), strings UTF-8 after a
 * well-formedness check.
 *
 * Speed (a profile of 1 → 1 records put the codec at half of each side's time): items of one shape
 * follow each other, so both sides remember the last record shape. The encoder compares the keys with
 * the last ones by identity and copies their bytes; the decoder compares the key bytes and builds the
 * record with a constructor made for that shape (an object literal: V8 gives every record the same
 * hidden class at once, where assigning keys one by one through one call site went megamorphic).
 * Short ASCII strings are looked up in a small cache of the strings decoded before.
 */

const MAX_ENTRIES = 32;
const MAX_KEY = 64;

// Value types.
const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const FLOAT = 4;
const INT = 5;
const ASCII = 6; // length ≤ 255, one byte per char
const UTF8 = 7; // 4-byte length

let out = new Uint8Array(1024);
let view = new DataView(out.buffer);
let at = 0;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function room(n: number): void {
  if (at + n <= out.length) return;
  const bigger = new Uint8Array(Math.max(out.length * 2, at + n));
  bigger.set(out.subarray(0, at));
  out = bigger;
  view = new DataView(out.buffer);
}

function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** Writes an ASCII string of ≤ `max` chars with a one-byte length; false if it is not one. */
function ascii(s: string, max: number): boolean {
  const n = s.length;
  if (n > max) return false;
  room(1 + n);
  const start = at;
  out[at++] = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) {
      at = start;
      return false;
    }
    out[at++] = c;
  }
  return true;
}

function value(v: unknown): boolean {
  switch (typeof v) {
    case "number":
      room(9);
      if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
        out[at] = INT;
        out[at + 1] = v & 0xff;
        out[at + 2] = (v >> 8) & 0xff;
        out[at + 3] = (v >> 16) & 0xff;
        out[at + 4] = (v >> 24) & 0xff;
        at += 5;
      } else {
        out[at++] = FLOAT;
        view.setFloat64(at, v, true);
        at += 8;
      }
      return true;
    case "string": {
      room(1);
      const tagAt = at++;
      if (ascii(v, 255)) {
        out[tagAt] = ASCII;
        return true;
      }
      if (!wellFormed(v)) return false;
      const bytes = utf8.encode(v);
      room(4 + bytes.length);
      out[tagAt] = UTF8;
      view.setUint32(at, bytes.length, true);
      out.set(bytes, at + 4);
      at += 4 + bytes.length;
      return true;
    }
    case "boolean":
      room(1);
      out[at++] = v ? TRUE : FALSE;
      return true;
    case "undefined":
      room(1);
      out[at++] = UNDEFINED;
      return true;
    case "object":
      if (v !== null) return false;
      room(1);
      out[at++] = NULL;
      return true;
    default:
      return false;
  }
}

// The keys of the last record encoded (as Object.keys gave them) and their bytes.
let encKeys: readonly string[] = [];
let encKeyBytes = new Uint8Array(0);

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Encodes into this thread's scratch; the byte count, or -1 when this codec cannot carry `item` exactly. */
function encode(item: unknown): number {
  if (typeof item !== "object" || item === null) return -1;
  at = 0;
  if (Array.isArray(item)) {
    const n = item.length;
    if (n > MAX_ENTRIES || Object.getPrototypeOf(item) !== Array.prototype) return -1;
    room(2);
    out[at++] = 0;
    out[at++] = n;
    for (let i = 0; i < n; i++) {
      const v: unknown = item[i];
      // A hole reads as undefined: only then is the `in` check (a keyed lookup) needed.
      if ((v === undefined && !(i in item)) || !value(v)) return -1;
    }
    // Extra own properties on an array: structured clone keeps them.
    if (Object.keys(item).length !== n) return -1;
    return at;
  }
  if (Object.getPrototypeOf(item) !== Object.prototype) return -1;
  // Own enumerable string keys: what structured clone copies too (it skips non-enumerable and symbol keys).
  const keys = Object.keys(item);
  const n = keys.length;
  if (n > MAX_ENTRIES) return -1;
  room(2);
  out[at++] = 1;
  out[at++] = n;
  if (sameKeys(keys, encKeys)) {
    const kb = encKeyBytes;
    room(kb.length);
    for (let i = 0; i < kb.length; i++) out[at + i] = kb[i]!;
    at += kb.length;
  } else {
    const start = at;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      if (k === "__proto__" || !ascii(k, MAX_KEY)) return -1;
    }
    encKeys = keys;
    encKeyBytes = out.slice(start, at);
  }
  // All values in one call, in the keys' order: read one by one (`item[keys[i]]`), each was a
  // megamorphic keyed load (four took 75 ns in isolation, Object.values of the same record 33 ns; the
  // whole encode measured 7% faster, builds interleaved in one process). Taken once the keys passed (a
  // record refused for its keys runs no getter here) and before any value is encoded, as structured
  // clone takes them; a getter that deletes a later property makes the two lists disagree, and the
  // general codecs take the item.
  const values = Object.values(item);
  if (values.length !== n) return -1;
  for (let i = 0; i < n; i++) if (!value(values[i])) return -1;
  return at;
}

/** The item's bytes (a fresh copy), or undefined when this codec cannot carry it exactly. */
export function encodeCompact(item: unknown): Uint8Array | undefined {
  const n = encode(item);
  return n < 0 ? undefined : out.slice(0, n);
}

/**
 * `encodeCompact` without the copy: the byte count (-1: not carried) of what is now at the start of
 * `compactScratch()`, overwritten by the next encode. For a caller that copies it into the ring before
 * anything else on its thread can encode (no view either: a `subarray` cost a tenth of a small put).
 */
export function encodeCompactScratch(item: unknown): number {
  return encode(item);
}

/** This thread's encode buffer (replaced when it grows): valid after `encodeCompactScratch`. */
export function compactScratch(): Uint8Array {
  return out;
}

// ── decoding ─────────────────────────────────────────────────────────────────────────────────────

/** Strings of up to this many ASCII chars go through the cache. */
const CACHED_CHARS = 16;
const CACHE_SLOTS = 1024;
const strings: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

function readAscii(b: Uint8Array, from: number, n: number): string {
  if (n > CACHED_CHARS) {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(b[from + i]!);
    return s;
  }
  let h = n;
  for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + b[from + i]!) | 0;
  const slot = h & (CACHE_SLOTS - 1);
  const hit = strings[slot];
  if (hit !== undefined && hit.length === n) {
    let i = 0;
    while (i < n && hit.charCodeAt(i) === b[from + i]) i++;
    if (i === n) return hit;
  }
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[from + i]!);
  strings[slot] = s;
  return s;
}

// Floats are read through this 8-byte scratch: a DataView per item cost more than the item.
const num = new Uint8Array(8);
const numF64 = new Float64Array(num.buffer);
// Decoding needs the machine to be little-endian like the writer's DataView: every platform Node runs on is.

/** The record shape decoded last: its key bytes and a constructor that builds such a record from `vals`. */
let lastKeyBytes = new Uint8Array(0);
let lastMake: (v: unknown[]) => Record<string, unknown> = () => ({});
/** Values of the record being decoded, reused (records only: a tuple's array is the item itself). */
const vals: unknown[] = [];

function sameBytesAt(b: Uint8Array, from: number, to: number, a: Uint8Array): boolean {
  if (to - from !== a.length) return false;
  for (let i = 0; i < a.length; i++) if (b[from + i] !== a[i]) return false;
  return true;
}

/**
 * A function building a record with `keys` from `v[0…]`: an object literal, so every record of a shape
 * gets its final hidden class directly. Where code generation is off (`--disallow-code-generation-from-strings`),
 * a loop of assignments.
 */
function maker(keys: string[]): (v: unknown[]) => Record<string, unknown> {
  // JSON.stringify of an ASCII key is a valid string literal; "__proto__" as a computed key is an own
  // property (as a plain literal key it would set the prototype). The encoder never writes it.
  const fields = keys.map((k, i) => `${k === "__proto__" ? `["__proto__"]` : JSON.stringify(k)}: v[${i}]`);
  try {
    // Generated code is the point here (msgpackr reads its records the same way); the keys are escaped literals.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function("v", `return { ${fields.join(", ")} };`) as (v: unknown[]) => Record<string, unknown>;
  } catch {
    return (v) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) Object.defineProperty(o, keys[i]!, { value: v[i], writable: true, enumerable: true, configurable: true });
      return o;
    };
  }
}

/** Decodes what `encodeCompact` wrote: the `n` bytes of `b` from `from` (a view of the ring, or a copy). */
export function decodeCompactAt(b: Uint8Array, from: number): unknown {
  const isObject = b[from] === 1;
  const n = b[from + 1]!;
  let p = from + 2;
  let out: unknown[];
  if (isObject) {
    const start = p;
    for (let i = 0; i < n; i++) p += 1 + b[p]!;
    if (!sameBytesAt(b, start, p, lastKeyBytes)) {
      const keys: string[] = [];
      for (let q = start, i = 0; i < n; i++) {
        keys.push(readAscii(b, q + 1, b[q]!));
        q += 1 + b[q]!;
      }
      lastKeyBytes = b.slice(start, p);
      lastMake = maker(keys);
    }
    out = vals;
  } else out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const t = b[p++];
    switch (t) {
      case UNDEFINED:
        out[i] = undefined;
        break;
      case NULL:
        out[i] = null;
        break;
      case FALSE:
        out[i] = false;
        break;
      case TRUE:
        out[i] = true;
        break;
      case INT:
        out[i] = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
        p += 4;
        break;
      case FLOAT:
        for (let k = 0; k < 8; k++) num[k] = b[p + k]!;
        out[i] = numF64[0];
        p += 8;
        break;
      case ASCII: {
        const len = b[p]!;
        out[i] = readAscii(b, p + 1, len);
        p += 1 + len;
        break;
      }
      case UTF8: {
        const len = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
        // A copy first: TextDecoder refuses views of a SharedArrayBuffer.
        out[i] = fromUtf8.decode(b.slice(p + 4, p + 4 + len));
        p += 4 + len;
        break;
      }
      default:
        throw new Error(`corrupt queue item: unknown compact value type ${String(t)}`);
    }
  }
  if (!isObject) return out;
  // `vals` keeps the last record's values until the next one: primitives only, so nothing is kept alive.
  return lastMake(vals);
}

/** Decodes what `encodeCompact` wrote. */
export function decodeCompact(b: Uint8Array): unknown {
  return decodeCompactAt(b, 0);
}
