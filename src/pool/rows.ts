/**
 * Runs of records (`{ id, name, value }` objects of one shape) and of tuples (starmap's `[a, b]`)
 * cross the thread boundary as columns: one `Float64Array` per numeric field and one plain array per
 * other field. Structured clone writes every property name of every object again and rebuilds each
 * object key by key on the other side; packed, 12 500 three-field records cross about five times
 * faster here (19 ms → 3–4 ms both ways, pack and unpack included).
 *
 * Packing is exact for what it accepts — plain objects (prototype `Object.prototype`) with the same
 * own enumerable string keys in the same order, or dense arrays of one length without extra
 * properties — and gives up (returns `undefined`, so the run is cloned as usual) on anything else:
 * class instances, proxies, `__proto__` keys, holes, mixed shapes. Field values still go through
 * structured clone inside their columns, so nested objects, dates and maps behave as before. One
 * difference: two slots holding the very same record arrive as two equal records (identity
 * between messages was never kept either).
 */
import { types } from "node:util";

/** A run of same-shaped records or tuples, column by column. */
export interface PackedRows {
  readonly rows: "records" | "tuples";
  readonly length: number;
  /** Record keys in order; empty for tuples (their width is `columns.length`). */
  readonly keys: readonly string[];
  readonly columns: readonly (Float64Array | unknown[])[];
}

/** Runs shorter than this are cloned as they are: too few rows for packing to pay. */
export const MIN_PACKED_ROWS = 32;
/** Wider rows are cloned as they are (and one generated builder per shape stays small). */
const MAX_WIDTH = 64;

export function isPackedRows(value: unknown): value is PackedRows {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && "rows" in value;
}

/**
 * A column filled row by row: numeric while every value so far is a number, then a plain array.
 * (A plain object and functions, not a class: a class with fields in the worker bundle costs each
 * new worker thread measurable start-up time.)
 */
interface Column {
  nums: Float64Array | undefined;
  values: unknown[] | undefined;
}

function column(length: number): Column {
  return { nums: new Float64Array(length), values: undefined };
}

function setCell(c: Column, row: number, value: unknown): void {
  if (c.nums !== undefined) {
    if (typeof value === "number") {
      c.nums[row] = value;
      return;
    }
    // Pushed, not indexed: V8 clones a holey array element by element, several times slower.
    const values: unknown[] = [];
    for (let j = 0; j < row; j++) values.push(c.nums[j]);
    c.values = values;
    c.nums = undefined;
  }
  c.values!.push(value);
}

function columnData(c: Column): Float64Array | unknown[] {
  return c.nums ?? c.values!;
}

function isPlainTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && !types.isProxy(value);
}

/**
 * `values[from .. to)` as columns, or `undefined` when they are not all records (or all tuples) of one shape.
 * `proto`: the records' prototype, when they are instances of one class (src/ship/instance-codec.ts) rather than plain.
 */
export function packRows(values: ArrayLike<unknown>, from: number, to: number, proto: object = Object.prototype): PackedRows | undefined {
  const n = to - from;
  if (n < MIN_PACKED_ROWS) return undefined;
  const first = values[from];
  if (proto === Object.prototype && isPlainTuple(first)) return packTuples(values, from, to, first.length);
  const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === proto && !types.isProxy(value);
  if (!isPlainRecord(first)) return undefined;
  const keys = Object.keys(first);
  const width = keys.length;
  // A "__proto__" own key would set the prototype when the record is rebuilt by assignment.
  if (width === 0 || width > MAX_WIDTH || keys.includes("__proto__")) return undefined;
  const columns = keys.map(() => column(n));
  for (let i = from; i < to; i++) {
    const record = values[i];
    if (!isPlainRecord(record)) return undefined;
    // Same keys in the same order: structured clone would rebuild them in this order too.
    const own = Object.keys(record);
    if (own.length !== width) return undefined;
    for (let k = 0; k < width; k++) {
      const key = keys[k]!;
      if (own[k] !== key) return undefined;
      setCell(columns[k]!, i - from, record[key]);
    }
  }
  return { rows: "records", length: n, keys, columns: columns.map(columnData) };
}

function packTuples(values: ArrayLike<unknown>, from: number, to: number, width: number): PackedRows | undefined {
  if (width === 0 || width > MAX_WIDTH) return undefined;
  const n = to - from;
  const columns = Array.from({ length: width }, () => column(n));
  for (let i = from; i < to; i++) {
    const tuple = values[i];
    // Object.keys also counts holes (missing) and extra named properties (present): both must clone as they are.
    if (!isPlainTuple(tuple) || tuple.length !== width || Object.keys(tuple).length !== width) return undefined;
    for (let k = 0; k < width; k++) setCell(columns[k]!, i - from, tuple[k]);
  }
  return { rows: "tuples", length: n, keys: [], columns: columns.map(columnData) };
}

type Builder = (columns: readonly (Float64Array | unknown[])[], length: number, proto: object | undefined) => unknown[];
const builders = new Map<string, Builder>();

/**
 * A row builder for one shape, as generated code: an object literal per row lets V8 build every
 * record with one hidden class from a boilerplate, about five times faster than key-by-key stores.
 * Keys enter the code only as JSON string literals, and "__proto__" never gets here.
 */
function builder(packed: PackedRows, withProto: boolean): Builder {
  const width = packed.columns.length;
  const shape = packed.rows === "records" ? `${withProto ? "p" : "r"}${JSON.stringify(packed.keys)}` : `t${width}`;
  let build = builders.get(shape);
  if (build === undefined) {
    const cells = Array.from({ length: width }, (_, k) => `c${k}[i]`);
    const fields = packed.keys.map((key, k) => `${JSON.stringify(key)}: ${cells[k]}`);
    // `__proto__: proto` in a literal sets the prototype (the keys are JSON strings, never "__proto__").
    if (withProto) fields.unshift("__proto__: proto");
    const row = packed.rows === "records" ? `{${fields.join(", ")}}` : `[${cells.join(", ")}]`;
    const body =
      cells.map((_, k) => `const c${k} = columns[${k}];`).join("\n") +
      `\nconst out = [];\nfor (let i = 0; i < length; i++) out.push(${row});\nreturn out;`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated on purpose (see above); keys are JSON literals
    build = new Function("columns", "length", "proto", body) as Builder;
    if (builders.size >= 256) builders.delete(builders.keys().next().value!);
    builders.set(shape, build);
  }
  return build;
}

/** The rows again, as plain records or arrays; as records with prototype `proto` when given. */
export function unpackRows(packed: PackedRows, proto?: object): unknown[] {
  return builder(packed, proto !== undefined)(packed.columns, packed.length, proto);
}

/** Rows `[from, to)` of a packed run, still packed. */
export function slicePackedRows(packed: PackedRows, from: number, to: number = packed.length): PackedRows {
  const end = Math.min(to, packed.length);
  return { ...packed, length: Math.max(0, end - from), columns: packed.columns.map((c) => c.slice(from, end)) };
}
