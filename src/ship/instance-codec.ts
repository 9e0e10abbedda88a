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
import { classOf, classShipper, ownToken, remember, tokenOf, type AnyClass } from "./class-table";
import { isCloneableLeaf } from "./cloneable-leaf";
import type { ShippedFunction } from "./payload";
import { loadShippedFunction } from "./rebuild";
import { findTransferHandler, transferHandlers, type TransferHandler } from "./transfer-handlers";
import { holdsInstances } from "./instance-scan";

/** The marker key: a string, so it survives structured clone (symbols do not). */
export const INSTANCE_MARK = "__lanesInstance__";

/** An instance, as it crosses: its class's token and its own enumerable fields; or a transfer handler's wire. */
type InstanceWire = { [INSTANCE_MARK]: string; p: Record<string, unknown>; c?: ShippedFunction } | { [INSTANCE_MARK]: ""; h: string; w: unknown };

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
 * `value` with every class instance (at any depth in arrays, plain objects, Maps and Sets) replaced by
 * its wire, copied (the input is not changed), and the classes it names. A class this thread owns is
 * shipped (kernel side: the shipper may refuse it with a `NotShippableError`); a class received from
 * another thread is named by its token only.
 * @throws Error naming the class when this thread can send no class of its own (a worker) and `value`
 *   holds an instance of one; `foreignInstance` tells that before it comes to this.
 */
export function packInstances(value: unknown, where = "item"): { value: unknown; classes: ClassList } {
  const packer = new Packer(false);
  const packed = packer.pack(value, where);
  return { value: packed, classes: [...packer.classes] };
}

/**
 * `packInstances` for a value sent once and never sliced (initargs): each class's payload rides on
 * its first wire, so the value is self-contained. `reviveInstances` reads both forms.
 */
export function packInstancesInline<T>(value: T, where: string): T {
  return new Packer(true).pack(value, where) as T;
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

  constructor(private readonly inline: boolean) {}

  // Every container is copied: the run is known to hold instances (a rare path), and copying whole
  // keeps cycles and shared references right without a second pass.
  pack(v: unknown, where: string): unknown {
    if (typeof v !== "object" || v === null) return v;
    const known = this.seen.get(v);
    if (known !== undefined) return known;
    if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype) {
      const out = new Array<unknown>(v.length);
      this.seen.set(v, out);
      for (let i = 0; i < v.length; i++) if (i in v) out[i] = this.pack(v[i], `${where}[${i}]`);
      return out;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Object.prototype || proto === null) {
      const out = (proto === null ? Object.create(null) : {}) as Record<string, unknown>;
      this.seen.set(v, out);
      for (const k of Object.keys(v)) define(out, k, this.pack((v as Record<string, unknown>)[k], `${where}.${k}`));
      return out;
    }
    if (proto === Map.prototype) {
      const out = new Map<unknown, unknown>();
      this.seen.set(v, out);
      let i = 0;
      for (const [k, x] of v as Map<unknown, unknown>) {
        out.set(this.pack(k, `${where}.<key ${i}>`), this.pack(x, `${where}.<value ${i}>`));
        i++;
      }
      return out;
    }
    if (proto === Set.prototype) {
      const out = new Set<unknown>();
      this.seen.set(v, out);
      let i = 0;
      for (const x of v as Set<unknown>) out.add(this.pack(x, `${where}.<item ${i++}>`));
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
    const token = this.token(v, proto, where);
    const props: Record<string, unknown> = {};
    const wire: InstanceWire = { [INSTANCE_MARK]: token, p: props };
    const payload = this.inline && this.classes.size > fresh ? this.classes.get(token) : undefined;
    if (payload) wire.c = payload;
    this.seen.set(v, wire);
    for (const k of Object.keys(v)) define(props, k, this.pack((v as Record<string, unknown>)[k], `${where}.${k}`));
    return wire;
  }

  private token(v: object, proto: object, where: string): string {
    const cls = (proto as { constructor?: unknown }).constructor;
    if (typeof cls !== "function") throw new TypeError(`${where} is an object whose prototype has no constructor: Lanes cannot name its class to another thread`);
    const token = this.shipper !== undefined ? ownToken(cls) : tokenOf(cls);
    if (token === undefined) throw new TypeError(`${where} is ${describeInstance(v)}: ${FOREIGN}`);
    if (!this.classes.has(token)) this.classes.set(token, this.shipper === undefined ? null : this.shipper(cls, v, where));
    return token;
  }
}

const FOREIGN =
  "its class exists only in this worker (defined inside the task, or reached through a module the kernel did not send), so the kernel has no class to rebuild it with. " +
  "Return plain data, or an instance of a class the task refers to by name (a notebook class, or one imported by name from a module)";

/**
 * Worker side, before a result is kept: a description of the first instance in `value` whose class
 * the kernel would not know, or undefined. Cheap for plain data (no allocation unless it holds objects).
 */
export function foreignInstance(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || flat(value) || !holdsInstances([value])) return undefined;
  let found: string | undefined;
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): boolean => {
    if (typeof v !== "object" || v === null || seen.has(v)) return false;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (visit(v[i], `${path}[${i}]`)) return true;
      return false;
    }
    if (v instanceof Map) {
      let i = 0;
      for (const [k, x] of v) if (visit(k, `${path}.<key ${i}>`) || visit(x, `${path}.<value ${i++}>`)) return true;
      return false;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const x of v) if (visit(x, `${path}.<item ${i++}>`)) return true;
      return false;
    }
    if (isInstance(v) && userHandler(v) === undefined) {
      const cls = (Object.getPrototypeOf(v) as { constructor?: AnyClass }).constructor;
      if (cls === undefined || tokenOf(cls) === undefined) {
        found = `${describeInstance(v)}${path === "" ? "" : ` at ${path.replace(/^\./, "")}`} (${FOREIGN})`;
        return true;
      }
    } else if (isCloneableLeaf(v)) return false;
    for (const k of Object.keys(v)) if (visit((v as Record<string, unknown>)[k], `${path}.${k}`)) return true;
    return false;
  };
  visit(value, "");
  return found;
}

/** The receiving half: loads the classes a run names, then turns wires back into instances, in place. */
export function reviveInstances<T>(value: T, classes: ClassList = []): T {
  // A token stands for one class of the sending thread: one this thread already rebuilt (from this
  // list or from a task's captured values) is used as is, so `instanceof` agrees between the two.
  for (const [token, payload] of classes) {
    if (payload !== null && classOf(token) === undefined) remember(loadShippedFunction(payload), token, true);
  }
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
    if (typeof mark === "string" && Object.hasOwn(o, INSTANCE_MARK)) return this.instance(v as InstanceWire, mark);
    this.seen.set(v, v);
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (typeof x === "object" && x !== null) o[k] = this.revive(x);
    }
    return v;
  }

  private instance(wire: InstanceWire, token: string): unknown {
    if ("h" in wire) {
      const handler = transferHandlers.get(wire.h);
      if (handler === undefined) {
        throw new Error(
          `no transfer handler "${wire.h}" is registered in this thread for an instance sent to it: register it on both sides, in the kernel and ` +
            `from the pool's initializer (new Pool({ initializer: () => registerTransferHandler("${wire.h}", handler) }))`,
        );
      }
      const value = handler.deserialize(wire.w);
      this.seen.set(wire, value);
      return value;
    }
    if (wire.c !== undefined && classOf(token) === undefined) remember(loadShippedFunction(wire.c), token, true);
    const cls = classOf(token) as { prototype: object; name?: string } | undefined;
    if (cls === undefined) {
      throw new Error(`an instance arrived whose class (token ${token}) this thread no longer holds: the class was redefined or collected meanwhile; run the call again`);
    }
    const o = Object.create(cls.prototype) as Record<string, unknown>;
    this.seen.set(wire, o);
    for (const k of Object.keys(wire.p)) define(o, k, this.revive(wire.p[k]));
    return o;
  }
}

/** A plain object or array of primitives only: the common result, answered without allocating. */
function flat(v: object): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === "object" && x !== null) return false;
    }
    return Object.getPrototypeOf(v) === Array.prototype;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === "object" && x !== null) return false;
  }
  return true;
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
