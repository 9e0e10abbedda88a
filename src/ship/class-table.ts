/**
 * Which classes this thread can name to another thread. A class crosses once as source (a ship payload)
 * under a token its home thread (the kernel) gave it; from then on both threads mean that class by the
 * token, so an instance a worker returns becomes an instance of the kernel's own class again. One table
 * per thread on `globalThis`, because one thread can hold several copies of Lanes (tslab's, the
 * notebook's, the worker bundle).
 */
import { threadId } from "node:worker_threads";
import type { ShippedFunction } from "./payload";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any class
export type AnyClass = Function;

/** Ships a class this thread owns: its payload, or a refusal (an error) naming what cannot cross. Kernel side only. */
export type ClassShipper = (cls: AnyClass, instance: object, where: string) => ShippedFunction;

interface Table {
  readonly tokens: WeakMap<AnyClass, string>;
  /** Weak: a class a re-run cell replaced must not be kept alive (with everything its scope holds). */
  readonly classes: Map<string, WeakRef<AnyClass>>;
  /** Classes rebuilt here from another thread's payload, kept (up to MAX_KEPT) so later messages reuse them. */
  readonly kept: Map<string, AnyClass>;
  shipper: ClassShipper | undefined;
  next: number;
}

const KEY = Symbol.for("lanes.ship.classTable");
const holder = globalThis as { [KEY]?: Table };
const table: Table = (holder[KEY] ??= { tokens: new WeakMap(), classes: new Map(), kept: new Map(), shipper: undefined, next: 1 });
const forget = new FinalizationRegistry<string>((token) => {
  if (table.classes.get(token)?.deref() === undefined) table.classes.delete(token);
});

/** The token `cls` is known by here, if any. */
export function tokenOf(cls: AnyClass): string | undefined {
  return table.tokens.get(cls);
}

/** The token of `cls`, given one now if it has none (the class's home is this thread). */
export function ownToken(cls: AnyClass): string {
  let token = table.tokens.get(cls);
  if (token === undefined) {
    token = `${process.pid}.${threadId}.${table.next++}`;
    remember(cls, token);
  }
  return token;
}

const MAX_KEPT = 256;

/**
 * Records that `cls` is what `token` means in this thread (the latest class rebuilt for a token wins).
 * `keep`: hold it strongly (a class rebuilt from another thread's payload, which nothing else may hold).
 */
export function remember(cls: AnyClass, token: string, keep = false): void {
  table.tokens.set(cls, token);
  table.classes.set(token, new WeakRef(cls));
  forget.register(cls, token);
  if (!keep) return;
  table.kept.delete(token);
  table.kept.set(token, cls);
  if (table.kept.size > MAX_KEPT) table.kept.delete(table.kept.keys().next().value!);
}

export function classOf(token: string): AnyClass | undefined {
  return table.classes.get(token)?.deref();
}

/** Installed by ./class-shipping (kernel side); workers have none, and cannot send a class of their own. */
export function setClassShipper(shipper: ClassShipper): void {
  table.shipper = shipper;
}

export function classShipper(): ClassShipper | undefined {
  return table.shipper;
}
