/**
 * Kernel side of ./instance-codec: ships the class of an instance found in a Pool's items, arguments
 * or initargs, or refuses it before anything is dispatched when a copy of its fields cannot rebuild it
 * (built-in or native state, private `#fields`). Importing this file installs it; workers never do.
 */
import { NotShippableError } from "../errors";
import { analyse } from "./function-analysis";
import { globalIndex } from "./global-paths";
import { moduleIndex } from "./modules";
import { describeInstance } from "./instance-codec";
import { setClassShipper, type AnyClass } from "./class-table";
import { shipFunction } from "./ship";
import type { ShippedFunction } from "./payload";

const HANDLER_FIX =
  "register a transfer handler for it (mp.registerTransferHandler(name, { canHandle, serialize, deserialize })) in the kernel and, " +
  "through the pool's initializer, in the workers";

function refuse(where: string, v: object, problem: string, fix: string): NotShippableError {
  const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } }).constructor?.name;
  return new NotShippableError(`Cannot send ${where} to a worker: it is ${describeInstance(v)}, ${problem}. Fix: ${fix}.`, {
    reason: "not-cloneable",
    names: name ? [name] : [],
  });
}

/** The ship payload of `cls`, or a `NotShippableError` naming the class and what to do. */
export function shipClass(cls: AnyClass, instance: object, where: string): ShippedFunction {
  for (let p = Object.getPrototypeOf(instance) as object | null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const ctor = (p as { constructor?: unknown }).constructor;
    if (typeof ctor !== "function" || ctor.prototype !== p || analyse(ctor as () => unknown).source.kind === "native" || globalIndex().has(ctor)) {
      throw refuse(
        where,
        instance,
        `an object with built-in or native internal state (it is or extends ${typeof ctor === "function" && ctor.name ? `\`${ctor.name}\`` : "a built-in"}), which a copy of its fields cannot rebuild`,
        `pass the plain data it holds and rebuild it inside the function, or ${HANDLER_FIX}`,
      );
    }
    const home = moduleIndex().get(ctor);
    if (home?.spec.kind === "builtin") {
      throw refuse(where, instance, `from Node's \`${home.spec.name}\` module, which holds native state (handles, sockets, streams, listeners)`, `create it inside the function (each worker needs its own)`);
    }
    if (analyse(ctor as () => unknown).analysis.privateNames) {
      throw refuse(where, instance, `whose class \`${ctor.name}\` keeps private fields (#…) that a copy cannot reach`, `pass the plain data and rebuild the instance inside the function, or ${HANDLER_FIX}`);
    }
  }
  try {
    return shipFunction(cls as (...args: unknown[]) => unknown);
  } catch (error) {
    if (!(error instanceof NotShippableError)) throw error;
    throw new NotShippableError(`Cannot send ${where} to a worker: it is ${describeInstance(instance)}, and its class cannot be shipped: ${error.message}`, {
      reason: error.reason,
      functionName: error.functionName,
      names: error.names,
      cause: error,
    });
  }
}

setClassShipper(shipClass);
