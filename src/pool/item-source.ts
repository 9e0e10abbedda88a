/**
 * Where a call's items come from (an array, a typed array, an iterator, an async iterator). Every
 * item source reads out runs of items ready to send, packed by ./items (numbers as a
 * `Float64Array`, same-shaped records and tuples as columns).
 */
import { inspect } from "node:util";
import type { PackedItems } from "./protocol";
import { packItems } from "./items";

export interface ItemSource {
  /** Number of items, when known without reading them. */
  readonly length: number | undefined;
  /** Whether `read` may return a promise. */
  readonly async: boolean;
  /** Up to `n` items; fewer only when the source is exhausted. */
  read(n: number): PackedItems | Promise<PackedItems>;
  /** Stops the underlying iterator early (a generator's `finally` runs). */
  close(): void;
}

type NumericArray = Exclude<NodeJS.TypedArray, BigInt64Array | BigUint64Array>;

/** An array or a numeric typed array, read by position; `slice` packs each run. */
class IndexedSource<V extends ArrayLike<unknown>> implements ItemSource {
  readonly async = false;
  private pos = 0;
  constructor(
    private readonly values: V,
    private readonly slice: (values: V, from: number, to: number) => PackedItems,
  ) {}
  get length(): number {
    return this.values.length;
  }
  read(n: number): PackedItems {
    const from = this.pos;
    const to = Math.min(from + n, this.values.length);
    this.pos = to;
    return this.slice(this.values, from, to);
  }
  close(): void {
    this.pos = this.values.length;
  }
}

function arraySource(values: ArrayLike<unknown>): ItemSource {
  return new IndexedSource(values, packItems);
}

function typedArraySource(values: NumericArray): ItemSource {
  return new IndexedSource(values, (typed, from, to) => {
    const part = typed.subarray(from, to);
    return part instanceof Float64Array ? part.slice() : Float64Array.from(part);
  });
}

class IteratorSource implements ItemSource {
  readonly async = false;
  readonly length = undefined;
  private done = false;
  constructor(private readonly iterator: Iterator<unknown>) {}
  read(n: number): PackedItems {
    const out: unknown[] = [];
    while (!this.done && out.length < n) {
      const step = this.iterator.next();
      if (step.done === true) this.done = true;
      else out.push(step.value);
    }
    return packItems(out, 0, out.length);
  }
  close(): void {
    if (this.done) return;
    this.done = true;
    this.iterator.return?.();
  }
}

class AsyncIteratorSource implements ItemSource {
  readonly async = true;
  readonly length = undefined;
  private done = false;
  constructor(private readonly iterator: AsyncIterator<unknown>) {}
  async read(n: number): Promise<PackedItems> {
    const out: unknown[] = [];
    while (!this.done && out.length < n) {
      const step = await this.iterator.next();
      if (step.done === true) this.done = true;
      else out.push(step.value);
    }
    return packItems(out, 0, out.length);
  }
  close(): void {
    if (this.done) return;
    this.done = true;
    void this.iterator.return?.()?.then(undefined, () => undefined);
  }
}

function isNumericTypedArray(value: unknown): value is NumericArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** An item source that reads `items` lazily (imap). */
export function itemSource(items: Iterable<unknown> | AsyncIterable<unknown>): ItemSource {
  if (Array.isArray(items)) return arraySource(items);
  if (isNumericTypedArray(items)) return typedArraySource(items);
  if (items !== null && typeof items === "object" || typeof items === "string") {
    const sync = (items as Partial<Iterable<unknown>>)[Symbol.iterator];
    if (typeof sync === "function") return new IteratorSource(sync.call(items));
    const async = (items as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    if (typeof async === "function") return new AsyncIteratorSource(async.call(items));
  }
  throw new TypeError(`items must be an iterable (an array, a Set, a generator, a typed array …), not ${describe(items)}`);
}

/** An item source whose length is known: arrays and typed arrays as they are, anything else read whole (map needs the length for its chunksize, as in CPython). */
export async function itemSourceWithLength(items: Iterable<unknown> | AsyncIterable<unknown>): Promise<ItemSource> {
  const source = itemSource(items);
  if (source.length !== undefined) return source;
  if (!source.async) return arraySource(Array.from(items as Iterable<unknown>));
  const all: unknown[] = [];
  for await (const item of items) all.push(item);
  return arraySource(all);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `a ${value.constructor?.name ?? "Object"} (it has no [Symbol.iterator])`;
  return `${typeof value} ${inspect(value)}`;
}
