/**
 * Class instances inside data that crosses by plain structured clone (Pool items, starmap/apply
 * arguments, initargs, results). Structured clone keeps an instance's own fields and drops its class:
 * `p.norm()` would fail in the worker. Here each instance becomes a small marked wire naming its class
 * by token (./class-table), and the class travels once, as a ship payload, beside the run; the
 * receiving thread turns wires back into instances of its class of that token. A result a worker
 * returns names the kernel's class by the same token, so it arrives as an instance of the kernel's class.
 *
 * Both halves run in workers too: nothing here loads the capturing half of ship/ (the kernel installs
 * the shipper, ./class-shipping). Finding out whether a run holds instances at all is the common case
 * and is kept cheap: no allocation and no identity map for flat data (./instance-scan).
 */
import { kindOf } from "../shared/brand";
export { classOf } from "./class-table";
import { classOf, classShipper, ownToken, remember, tokenOf } from "./class-table";
import { isCloneableLeaf } from "./cloneable-leaf";
import type { ShippedFunction } from "./payload";
import { loadShippedFunction } from "./rebuild";
import { findTransferHandler, transferHandlers, type TransferHandler } from "./transfer-handlers";
import { holdsInstances } from "./instance-scan";

/** The marker key: a string, so it survives structured clone (symbols do not). */
export const INSTANCE_MARK = "__lanesInstance__";

/** An instance, as it crosses: its class's token and its own enumerable fields; or a transfer handler's wire. */
type InstanceWire = { [INSTANCE_MARK]: ""; h: string; w: unknown };
/** Beside the marker on an instance's wire: the class's payload, when it rides inline (initargs). */
const CLASS_KEY = "__lanesClass__";

/** The classes a packed run refers to, each with the payload that rebuilds it where it is not known yet. */
export type ClassList = readonly (readonly [token: string, payload: ShippedFunction | null])[];

/**
 * Whether `v` is an object structured clone would copy without its class: not plain data, a container,
 * a value it copies whole, or a Lanes shared object (../shared/revive carries those).
 */
export function isInstance(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null || proto === Array.prototype || proto === Map.prototype || proto === Set.prototype) return false;
  return !isCloneableLeaf(v) && kindOf(v) === undefined;
}

// Transfer handlers of Lanes' own (SharedArrayBuffers) are for captured values; instances use only the user's.
function userHandler(v: object): [string, TransferHandler] | undefined {
  const found = findTransferHandler(v);
  return found === undefined || found[0].startsWith("lanes:") ? undefined : found;
}

/**
 * A run of items (or results) with every class instance (at any depth in arrays, plain objects, Maps
 * and Sets) replaced by its wire, copied (the input is not changed), and the classes it names. A class
 * this thread owns is shipped (kernel side: the shipper may refuse it with a `NotShippableError`); a
 * class received from another thread is named by its token only. An item holding an instance of a
 * class this thread can name to no one (a worker's own class) is sent as `undefined` and reported to
 * `onForeign` (its index in `run`, and what it is); without `onForeign` that is a `TypeError`.
 */
export function packInstances(
  run: readonly unknown[],
  onForeign?: (index: number, description: string) => void,
  /** Index of `run[0]` among the call's items, for messages. */
  first = 0,
): { value: unknown[]; classes: ClassList } {
  const packer = new Packer(false, "item");
  const out = new Array<unknown>(run.length);
  for (let i = 0; i < run.length; i++) {
    const v = run[i];
    if (typeof v !== "object" || v === null) {
      out[i] = v;
      continue;
    }
    try {
      out[i] = packer.child(v, first + i);
    } catch (error) {
      if (!(error instanceof ForeignClass) || onForeign === undefined) throw error;
      onForeign(i, error.message);
      out[i] = undefined;
    }
  }
  return { value: out, classes: [...packer.classes] };
}

/**
 * The token and payload of `v`'s class, as `packInstances` would name it; undefined when this thread
 * cannot name it to another (then `packInstances` says so per item) or a transfer handler carries it.
 */
export function nameClass(v: object): readonly [token: string, payload: ShippedFunction | null] | undefined {
  if (userHandler(v) !== undefined) return undefined;
  const packer = new Packer(false, "item");
  try {
    packer.child(Object.create(Object.getPrototypeOf(v) as object | null) as object, 0);
  } catch (error) {
    if (error instanceof ForeignClass) return undefined;
    throw error;
  }
  return [...packer.classes][0];
}

/** Loads the classes of a `ClassList` this thread does not hold yet (as `reviveInstances` does first). */
export function loadClasses(classes: ClassList): void {
  // A token stands for one class of the sending thread: one this thread already rebuilt (from this
  // list or from a task's captured values) is used as is, so `instanceof` agrees between the two.
  for (const [token, payload] of classes) {
    if (payload !== null && classOf(token) === undefined) remember(loadShippedFunction(payload), token, true);
  }
}

/** An instance of a class this thread cannot name to another: the message describes it and says what to do. */
class ForeignClass extends TypeError {}

/**
 * `packInstances` for a value sent once and never sliced (initargs): each class's payload rides on
 * its first wire, so the value is self-contained. `reviveInstances` reads both forms.
 */
export function packInstancesInline<T>(value: T, where: string): T {
  return new Packer(true, where).pack(value) as T;
}

/** Last of an argument list packed by `packArgsWithInstances`: tells `reviveArgsWithInstances` to look. */
const ARGS_FLAG = { [INSTANCE_MARK]: "*" } as const;

/**
 * An argument list sent once (initargs): packed with its classes inline when it holds instances, and
 * flagged so, so the receiver walks it only then.
 */
export function packArgsWithInstances(args: readonly unknown[], where: string): readonly unknown[] {
  return holdsInstances(args) ? [...packInstancesInline(args, where), ARGS_FLAG] : args;
}

/** The receiving half of `packArgsWithInstances` (in place). */
export function reviveArgsWithInstances(args: unknown[]): unknown[] {
  const last = args[args.length - 1] as Record<string, unknown> | undefined;
  if (typeof last !== "object" || last === null || last[INSTANCE_MARK] !== "*") return args;
  args.pop();
  return reviveInstances(args);
}

class Packer {
  private readonly seen = new Map<object, unknown>();
  readonly classes = new Map<string, ShippedFunction | null>();
  private readonly shipper = classShipper();
  /** Keys from the root to the value being packed: a message's path is built only when one is needed. */
  private readonly keys: (string | number)[] = [];

  constructor(
    private readonly inline: boolean,
    private readonly root: string,
  ) {}

  /**
   * A child: primitives are answered without a call (most of the work in large data). `key`: a
   * property name, an array index, or a ready path step (`.<key 3>`, marked by its leading dot).
   */
  child(v: unknown, key: string | number): unknown {
    if (typeof v !== "object" || v === null) return v;
    this.keys.push(key);
    const out = this.pack(v);
    this.keys.pop();
    return out;
  }

  private where(): string {
    return this.root + this.keys.map(step).join("");
  }

  // Every container is copied: the run is known to hold instances (a rare path), and copying whole
  // keeps cycles and shared references right without a second pass.
  pack(v: unknown): unknown {
    if (typeof v !== "object" || v === null) return v;
    const known = this.seen.get(v);
    if (known !== undefined) return known;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Array.prototype) {
      const a = v as unknown[];
      const out = new Array<unknown>(a.length);
      this.seen.set(v, out);
      for (let i = 0; i < a.length; i++) if (i in a) out[i] = this.child(a[i], i);
      return out;
    }
    if (proto === Object.prototype || proto === null) {
      const out = (proto === null ? Object.create(null) : {}) as Record<string, unknown>;
      this.seen.set(v, out);
      for (const k of Object.keys(v)) set(out, k, this.child((v as Record<string, unknown>)[k], k));
      return out;
    }
    if (proto === Map.prototype) {
      const out = new Map<unknown, unknown>();
      this.seen.set(v, out);
      let i = 0;
      for (const [k, x] of v as Map<unknown, unknown>) {
        out.set(this.child(k, `.<key ${i}>`), this.child(x, `.<value ${i}>`));
        i++;
      }
      return out;
    }
    if (proto === Set.prototype) {
      const out = new Set<unknown>();
      this.seen.set(v, out);
      let i = 0;
      for (const x of v as Set<unknown>) out.add(this.child(x, `.<item ${i++}>`));
      return out;
    }
    if (!isInstance(v)) return v;
    const handled = userHandler(v);
    if (handled !== undefined) {
      const wire: InstanceWire = { [INSTANCE_MARK]: "", h: handled[0], w: handled[1].serialize(v) };
      this.seen.set(v, wire);
      return wire;
    }
    const fresh = this.classes.size;
    const token = this.token(v, proto);
    // Flat: the marker, then the instance's own fields, so a wire clones about as fast as a record.
    const wire: Record<string, unknown> = { [INSTANCE_MARK]: token };
    const payload = this.inline && this.classes.size > fresh ? this.classes.get(token) : undefined;
    if (payload) wire[CLASS_KEY] = payload;
    this.seen.set(v, wire);
    for (const k of Object.keys(v)) {
      if (k === INSTANCE_MARK || k === CLASS_KEY) throw new TypeError(`${this.where()} has an own field named "${k}", which Lanes uses to mark instances: rename it`);
      set(wire, k, this.child((v as Record<string, unknown>)[k], k));
    }
    return wire;
  }

  private token(v: object, proto: object): string {
    const cls = (proto as { constructor?: unknown }).constructor;
    if (typeof cls !== "function") throw new TypeError(`${this.where()} is an object whose prototype has no constructor: Lanes cannot name its class to another thread`);
    const token = this.shipper !== undefined ? ownToken(cls) : tokenOf(cls);
    if (token === undefined) {
      const path = this.keys.slice(1).map(step).join("").replace(/^\./, "");
      throw new ForeignClass(`${describeInstance(v)}${path === "" ? "" : ` at ${path}`} (${FOREIGN})`);
    }
    if (!this.classes.has(token)) this.classes.set(token, this.shipper === undefined ? null : this.shipper(cls, v, this.where()));
    return token;
  }
}

const FOREIGN =
  "its class exists only in this worker (defined inside the task, or reached through a module the kernel did not send), so the kernel has no class to rebuild it with. " +
  "Return plain data, or an instance of a class the task refers to by name (a notebook class, or one imported by name from a module)";

/** The receiving half: loads the classes a run names, then turns wires back into instances, in place. */
export function reviveInstances<T>(value: T, classes: ClassList = []): T {
  loadClasses(classes);
  return new Reviver().revive(value) as T;
}

class Reviver {
  private readonly seen = new Map<object, unknown>();

  revive(v: unknown): unknown {
    if (typeof v !== "object" || v === null) return v;
    const known = this.seen.get(v);
    if (known !== undefined) return known;
    if (Array.isArray(v)) {
      this.seen.set(v, v);
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === "object" && x !== null) v[i] = this.revive(x);
      }
      return v;
    }
    if (v instanceof Map) {
      this.seen.set(v, v);
      const entries = [...v];
      v.clear();
      for (const [k, x] of entries) v.set(this.revive(k), this.revive(x));
      return v;
    }
    if (v instanceof Set) {
      this.seen.set(v, v);
      const items = [...v];
      v.clear();
      for (const x of items) v.add(this.revive(x));
      return v;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== Object.prototype && proto !== null) return v;
    const o = v as Record<string, unknown>;
    const mark = o[INSTANCE_MARK];
    if (typeof mark === "string" && Object.hasOwn(o, INSTANCE_MARK)) return this.instance(o, mark);
    this.seen.set(v, v);
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (typeof x === "object" && x !== null) o[k] = this.revive(x);
    }
    return v;
  }

  private instance(wire: Record<string, unknown>, token: string): unknown {
    if (token === "") {
      const { h, w } = wire as InstanceWire;
      const handler = transferHandlers.get(h);
      if (handler === undefined) {
        throw new Error(
          `no transfer handler "${h}" is registered in this thread for an instance sent to it: register it on both sides, in the kernel and ` +
            `from the pool's initializer (new Pool({ initializer: () => registerTransferHandler("${h}", handler) }))`,
        );
      }
      const value = handler.deserialize(w);
      this.seen.set(wire, value);
      return value;
    }
    const inline = wire[CLASS_KEY] as ShippedFunction | undefined;
    if (inline !== undefined && classOf(token) === undefined) remember(loadShippedFunction(inline), token, true);
    const cls = classOf(token) as { prototype: object; name?: string } | undefined;
    if (cls === undefined) {
      throw new Error(`an instance arrived whose class (token ${token}) this thread no longer holds: the class was redefined or collected meanwhile; run the call again`);
    }
    const o = Object.create(cls.prototype) as Record<string, unknown>;
    this.seen.set(wire, o);
    for (const k of Object.keys(wire)) {
      if (k === INSTANCE_MARK || k === CLASS_KEY) continue;
      const x = wire[k];
      // A field the prototype also has (a getter/setter pair) must become the own field it was, not a setter call.
      if (k in o) define(o, k, this.revive(x));
      else o[k] = typeof x === "object" && x !== null ? this.revive(x) : x;
    }
    return o;
  }
}

/** One step of a message's path: `[3]`, `.name`, or a step given ready (`.<key 3>`). */
function step(key: string | number): string {
  return typeof key === "number" ? `[${key}]` : key.startsWith(".<") ? key : `.${key}`;
}

/** `o[key] = value`, except for a "__proto__" key, which is defined as the own field structured clone would make. */
function set(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") define(o, key, value);
  else o[key] = value;
}

/** An own data property, as structured clone makes them (never a setter of the class, even for `__proto__`). */
function define(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

/** "an instance of class `Pt`" */
export function describeInstance(v: object): string {
  const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name ? `an instance of class \`${name}\`` : "an instance of an unnamed class";
}
