/**
 * `node:v8`, required on first use. Loading it costs a new thread about 1 ms (it pulls in heap and
 * stream internals), and a thread that receives a Queue only needs it for an item the compact codec
 * and msgpackr do not carry, or one holding shared objects.
 */
type V8 = typeof import("node:v8");

let v8: V8 | undefined;

/** @example lazyV8().serialize(value) */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load (see above)
export const lazyV8 = (): V8 => (v8 ??= require("node:v8") as V8);
