/**
 * The queue's codec for the commonest small items: one flat array or plain record (up to 32 entries)
 * of numbers, short strings, booleans, `null` and `undefined` — `["abc", 42]`, `{ id, name, value, ok }`.
 * Written by hand because msgpackr's general pack/unpack (and the check that it is exact) were a third
 * of a small item's time through a queue. Anything else (nesting, long or non-ASCII keys, other
 * types) answers `undefined` and goes to the general codecs, so this one is exact by construction:
 * numbers are float64 (or int32 when they are one, `-0` excluded), strings UTF-8 after a
 * well-formedness check.
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
        out[at++] = INT;
        view.setInt32(at, v, true);
        at += 4;
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

/** The item's bytes (a fresh copy), or undefined when this codec cannot carry it exactly. */
export function encodeCompact(item: unknown): Uint8Array | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  at = 0;
  if (Array.isArray(item)) {
    const n = item.length;
    if (n > MAX_ENTRIES || Object.getPrototypeOf(item) !== Array.prototype) return undefined;
    room(2);
    out[at++] = 0;
    out[at++] = n;
    for (let i = 0; i < n; i++) {
      if (!(i in item) || !value(item[i])) return undefined;
    }
    // Extra own properties on an array: structured clone keeps them.
    if (Object.keys(item).length !== n) return undefined;
    return out.slice(0, at);
  }
  if (Object.getPrototypeOf(item) !== Object.prototype) return undefined;
  const keys = Object.keys(item);
  const n = keys.length;
  if (n > MAX_ENTRIES || Object.getOwnPropertyNames(item).length !== n) return undefined;
  room(2);
  out[at++] = 1;
  out[at++] = n;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (k === "__proto__" || !ascii(k, MAX_KEY)) return undefined;
  }
  for (let i = 0; i < n; i++) if (!value((item as Record<string, unknown>)[keys[i]!])) return undefined;
  return out.slice(0, at);
}

// The keys of the last record decoded, and their bytes: same-shaped records (the common case) reuse them.
let lastKeyBytes = new Uint8Array(0);
let lastKeys: string[] = [];

function readAscii(b: Uint8Array, from: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[from + i]!);
  return s;
}

// Numbers are read through this 8-byte scratch: a DataView per item cost more than the item.
const num = new Uint8Array(8);
const numF64 = new Float64Array(num.buffer);
const numI32 = new Int32Array(num.buffer);
const numU32 = new Uint32Array(num.buffer);
// Decoding needs the machine to be little-endian like the writer's DataView: every platform Node runs on is.

function load(b: Uint8Array, p: number, n: number): void {
  for (let i = 0; i < n; i++) num[i] = b[p + i]!;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Decodes what `encodeCompact` wrote. */
export function decodeCompact(b: Uint8Array): unknown {
  const isObject = b[0] === 1;
  const n = b[1]!;
  let p = 2;
  let keys: string[] | undefined;
  if (isObject) {
    const start = p;
    for (let i = 0; i < n; i++) p += 1 + b[p]!;
    const keyBytes = b.subarray(start, p);
    if (sameBytes(keyBytes, lastKeyBytes)) keys = lastKeys;
    else {
      keys = [];
      for (let q = start, i = 0; i < n; i++) {
        keys.push(readAscii(b, q + 1, b[q]!));
        q += 1 + b[q]!;
      }
      lastKeyBytes = keyBytes.slice();
      lastKeys = keys;
    }
  }
  const values: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = b[p++];
    switch (t) {
      case UNDEFINED:
        values[i] = undefined;
        break;
      case NULL:
        values[i] = null;
        break;
      case FALSE:
        values[i] = false;
        break;
      case TRUE:
        values[i] = true;
        break;
      case INT:
        load(b, p, 4);
        values[i] = numI32[0];
        p += 4;
        break;
      case FLOAT:
        load(b, p, 8);
        values[i] = numF64[0];
        p += 8;
        break;
      case ASCII: {
        const len = b[p]!;
        values[i] = readAscii(b, p + 1, len);
        p += 1 + len;
        break;
      }
      case UTF8: {
        load(b, p, 4);
        const len = numU32[0]!;
        values[i] = fromUtf8.decode(b.subarray(p + 4, p + 4 + len));
        p += 4 + len;
        break;
      }
      default:
        throw new Error(`corrupt queue item: unknown compact value type ${String(t)}`);
    }
  }
  if (!isObject) return values;
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) o[keys![i]!] = values[i];
  return o;
}
