/**
 * Internal switch, not part of the public API: `pool[TRACING] = false` stops recording spans for
 * later calls (a call with `progress: true` records anyway). Only bench/trace-overhead.ts uses it,
 * to measure what tracing costs.
 */
export const TRACING: unique symbol = Symbol("lanes.tracing");
