/**
 * Registers the shared-object transfer handler. The worker entry imports this file only: the classes
 * (handlers.ts and everything it loads) are evaluated on the first shared object a worker receives,
 * so a worker that never gets one starts no slower.
 */
import { registerTransferHandler, type TransferHandler } from "../ship/transfer-handlers";
import { kindOf } from "./brand";
import type * as Handlers from "./handlers";

/** The handler's name in the registry; the kernel and every worker register it under this name. */
export const SHARED_HANDLER = "lanes:shared-objects";

let impl: typeof Handlers | undefined;

/** The kernel side hands the module over eagerly (it has loaded it anyway; under test runners a lazy `require` of a .ts file would fail). */
export function useHandlers(handlers: typeof Handlers): void {
  impl = handlers;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load (see above)
export const loadHandlers = (): typeof Handlers => (impl ??= require("./handlers") as typeof Handlers);

const handler: TransferHandler<Handlers.SharedObject, Handlers.SharedWire> = {
  canHandle: (v): v is Handlers.SharedObject => kindOf(v) !== undefined,
  serialize: (v) => loadHandlers().toWire(v),
  deserialize: (w) => loadHandlers().fromWire(w),
};

// First: a shared Array is also a typed array over a SharedArrayBuffer, which the plain
// shared-memory handler would take (and lose its lock and typecode).
registerTransferHandler(SHARED_HANDLER, handler, { first: true });
