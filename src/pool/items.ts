/**
 * How a run of items (or of results) travels: numbers as one `Float64Array` (a memcpy instead of a
 * per-element clone), same-shaped records and tuples as columns (./rows), anything else as the
 * plain array it is. Both threads pack with `packItems` and read with `unpackItems`.
 */
import type { PackedItems, ItemList, PackedShared } from "./protocol";
import { isPackedRows, packRows, slicePackedRows, unpackRows } from "./rows";
import { sharedInUse } from "../shared/in-use";
import { packShared, reviveShared } from "../shared/revive";
import { classOf, isInstance, loadClasses, nameClass, packInstances, reviveInstances } from "../ship/instance-codec";
import { holdsInstances } from "../ship/instance-scan";

/**
 * Called by `packItems` for each value (its index in `values`) holding an instance of a class this
 * thread cannot name to the other (a worker's own class); the value is sent as `undefined`.
 */
export type OnForeign = (index: number, description: string) => void;

/** `values[from .. to)` in the cheapest form to send. */
export function packItems(values: ArrayLike<unknown>, from: number, to: number, onForeign?: OnForeign): PackedItems {
  // A run of records or strings fails at its first item: no Float64Array to allocate and drop.
  if (from < to && typeof values[from] !== "number") return packOther(values, from, to, onForeign);
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    const value = values[i];
    if (typeof value !== "number") return packOther(values, from, to, onForeign);
    out[i - from] = value;
  }
  return out;
}

function packOther(values: ArrayLike<unknown>, from: number, to: number, onForeign: OnForeign | undefined): PackedItems {
  // Only a thread that has made or received a shared object can be sending one: the others skip the walk.
  let run: unknown[] | undefined;
  if (sharedInUse()) {
    run = Array.prototype.slice.call(values, from, to) as unknown[];
    const packed = packShared(run);
    if (packed !== run) return holdsInstances(run) ? withInstances(run, from, onForeign) : ({ shared: packed, length: packed.length } satisfies PackedShared);
  }
  const rows = packRows(values, from, to);
  // Columns hold primitives (nothing to look into) unless a field holds objects.
  if (rows !== undefined) return rows.columns.some((c) => !ArrayBuffer.isView(c) && holdsInstances(c)) ? withInstances(sliced(values, from, to, run), from, onForeign) : rows;
  run ??= sliced(values, from, to, run);
  return holdsInstances(run) ? withInstances(run, from, onForeign) : run;
}

function sliced(values: ArrayLike<unknown>, from: number, to: number, run: unknown[] | undefined): unknown[] {
  return run ?? (Array.prototype.slice.call(values, from, to) as unknown[]);
}

/** A run holding class instances: each becomes a marked wire naming its class, shared objects inside them included. */
function withInstances(run: unknown[], from: number, onForeign: OnForeign | undefined): PackedShared {
  const uniform = uniformInstances(run);
  if (uniform !== undefined) return uniform;
  const { value, classes } = packInstances(run, onForeign === undefined ? undefined : (i, what) => onForeign(from + i, what), from);
  const packed = sharedInUse() ? packShared(value) : value;
  if (packed !== value) return { shared: packed, length: packed.length, classes };
  // Instances of one class and shape are flat wires of one shape: they travel as columns, like records.
  return { shared: packRows(value, 0, value.length) ?? value, length: value.length, classes, noShared: true };
}

/**
 * A run of instances of one class, each with the same own fields holding primitives only (the common
 * case: a list of `Pt`s): its fields as columns, and no wire per instance at all.
 */
function uniformInstances(run: unknown[]): PackedShared | undefined {
  const first = run[0];
  if (typeof first !== "object" || first === null || !isInstance(first)) return undefined;
  const proto = Object.getPrototypeOf(first) as object;
  const rows = packRows(run, 0, run.length, proto);
  // Accessors on the prototype under a field's name, or objects in a field: the general path.
  if (rows === undefined || rows.keys.some((k) => k in proto) || !rows.columns.every(primitivesOnly)) return undefined;
  const named = nameClass(first);
  if (named === undefined) return undefined;
  return { shared: rows, length: run.length, classes: [named], noShared: true, instancesOf: named[0] };
}

function primitivesOnly(column: Float64Array | unknown[]): boolean {
  if (ArrayBuffer.isView(column)) return true;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (typeof v === "object" && v !== null) return false;
  }
  return true;
}

function isPackedShared(items: PackedItems): items is PackedShared {
  return typeof items === "object" && !Array.isArray(items) && !ArrayBuffer.isView(items) && "shared" in items;
}

/** What was sent, readable by index again (shared objects rebuilt around their shared memory). */
export function unpackItems(items: PackedItems): ItemList {
  if (isPackedShared(items) && items.instancesOf !== undefined && isPackedRows(items.shared)) {
    loadClasses(items.classes ?? []);
    const cls = classOf(items.instancesOf) as { prototype: object } | undefined;
    if (cls === undefined) throw new Error(`instances arrived whose class (token ${items.instancesOf}) this thread no longer holds: run the call again`);
    return unpackRows(items.shared, cls.prototype);
  }
  if (isPackedShared(items)) {
    const run = isPackedRows(items.shared) ? unpackRows(items.shared) : (items.shared as unknown[]);
    const revived = items.noShared === true ? run : reviveShared(run);
    return items.classes === undefined ? revived : reviveInstances(revived, items.classes);
  }
  return isPackedRows(items) ? unpackRows(items) : items;
}

/** Items `[from, to)` of a run, in the form they were sent. */
export function sliceItems(items: PackedItems, from: number, to: number = items.length): PackedItems {
  if (isPackedShared(items)) {
    const part = isPackedRows(items.shared) ? slicePackedRows(items.shared, from, to) : items.shared.slice(from, to);
    return { ...items, shared: part, length: part.length };
  }
  return isPackedRows(items) ? slicePackedRows(items, from, to) : items.slice(from, to);
}
