/**
 * How special kinds of values cross into a worker (Comlink-style). A captured value that a handler
 * can handle is not copied as data: `serialize` turns it into a structured-cloneable wire value on the
 * kernel side, `deserialize` turns that back into a live value in the worker. Lanes shared objects
 * (`Value`, `Array`, `Lock`, `Queue`) register here, so they arrive shared, not copied.
 */
export interface TransferHandler<T = unknown, W = unknown> {
  /** Cheap test, called for every captured object: keep it to an `instanceof` or a brand check. */
  canHandle(value: unknown): value is T;
  /**
   * Kernel side. The wire value is sent as is with every dispatch of the payload and not snapshotted:
   * SharedArrayBuffers inside it stay shared. Do not list transferables: payloads are reused.
   */
  serialize(value: T): W;
  /** Worker side. */
  deserialize(wire: W): T;
}

const REGISTRY = Symbol.for("lanes.ship.transferHandlers");
type Registry = Map<string, TransferHandler>;

// One registry per thread even when two copies of Lanes are loaded (tslab's and the notebook's own).
const holder = globalThis as { [REGISTRY]?: Registry };
const registry: Registry = (holder[REGISTRY] ??= new Map<string, TransferHandler>());

/**
 * The handlers, by name, tried in insertion order (internal: users go through
 * {@link registerTransferHandler}). The kernel serializes with the handler of a name, each worker
 * deserializes with its own handler of that name.
 */
export const transferHandlers: Map<string, TransferHandler> = registry;

/**
 * Registers (or replaces) how values that `handler.canHandle` accepts cross into workers, under
 * `name`. A captured value is serialized in the kernel and deserialized in the worker by the handler
 * registered there under the same name, so register it twice: once in the kernel, and in every worker
 * from the pool's `initializer` (which also runs in each replacement worker). Tasks wait for the
 * initializer, an async one included, before their function is rebuilt. `first: true` puts it ahead of
 * the others, for a handler whose values another (broader) handler would also accept.
 *
 * Use it for a value a copy cannot rebuild, such as an instance whose class keeps `#private` fields.
 * @example
 * import * as mp from "lanes";
 *
 * class Money {
 *   readonly #cents: number;
 *   constructor(cents: number) { this.#cents = cents; }
 *   get cents() { return this.#cents; }
 * }
 * const money: mp.TransferHandler<Money, number> = {
 *   canHandle: (v): v is Money => v instanceof Money,
 *   serialize: (m) => m.cents,                 // in the kernel
 *   deserialize: (cents) => new Money(cents),  // in the worker
 * };
 * mp.registerTransferHandler("money", money);  // the kernel side
 * const pool = new mp.Pool({ initializer: () => mp.registerTransferHandler("money", money) }); // each worker
 * const fee = new Money(250);
 * await pool.map((x: number) => x + fee.cents, [1, 2, 3]); // [251, 252, 253]
 */
export function registerTransferHandler<T, W>(name: string, handler: TransferHandler<T, W>, options?: { first?: boolean }): void {
  if (options?.first !== true) {
    registry.set(name, handler);
    return;
  }
  const rest = [...registry].filter(([n]) => n !== name);
  registry.clear();
  registry.set(name, handler);
  for (const [n, h] of rest) registry.set(n, h);
}

/** The first handler that can handle `value`, with its name. */
export function findTransferHandler(
  value: object,
  handlers: Iterable<[string, TransferHandler]> = registry,
): [string, TransferHandler] | undefined {
  for (const entry of handlers) if (entry[1].canHandle(value)) return entry;
  return undefined;
}

const sharedBuffer: TransferHandler<SharedArrayBuffer | ArrayBufferView, SharedArrayBuffer | ArrayBufferView> = {
  canHandle: (v): v is SharedArrayBuffer | ArrayBufferView =>
    v instanceof SharedArrayBuffer || (ArrayBuffer.isView(v) && v.buffer instanceof SharedArrayBuffer),
  // Structured clone shares SharedArrayBuffer memory: passing the value through is all it takes.
  serialize: (v) => v,
  deserialize: (w) => w,
};

if (!registry.has("lanes:shared-memory")) registerTransferHandler("lanes:shared-memory", sharedBuffer);
