/**
 * How a run of items (or of results) travels: numbers as one `Float64Array` (a memcpy instead of a
 * per-element clone), same-shaped records and tuples as columns (./rows), anything else as the
 * plain array it is. Both threads pack with `packItems` and read with `unpackItems`.
 */
import type { PackedItems, ItemList } from "./protocol";
import { isPackedRows, packRows, slicePackedRows, unpackRows } from "./rows";

/** `values[from .. to)` in the cheapest form to send. */
export function packItems(values: ArrayLike<unknown>, from: number, to: number): PackedItems {
  // A run of records or strings fails at its first item: no Float64Array to allocate and drop.
  if (from < to && typeof values[from] !== "number") return packOther(values, from, to);
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    const value = values[i];
    if (typeof value !== "number") return packOther(values, from, to);
    out[i - from] = value;
  }
  return out;
}

function packOther(values: ArrayLike<unknown>, from: number, to: number): PackedItems {
  return packRows(values, from, to) ?? (Array.prototype.slice.call(values, from, to) as unknown[]);
}

/** What was sent, readable by index again. */
export function unpackItems(items: PackedItems): ItemList {
  return isPackedRows(items) ? unpackRows(items) : items;
}

/** Items `[from, to)` of a run, in the form they were sent. */
export function sliceItems(items: PackedItems, from: number, to: number = items.length): PackedItems {
  return isPackedRows(items) ? slicePackedRows(items, from, to) : items.slice(from, to);
}
