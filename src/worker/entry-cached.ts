/**
 * What a pool's worker thread loads first (piscina's `filename`): entry.bundle.js beside it (the pool
 * worker entry, entry.ts, bundled by scripts/bundle-worker.mjs), through V8's code cache
 * (./code-cache.ts), as a Process thread does. Its `module.exports` is the bundle's: piscina finds the
 * task handler there.
 */
import { join } from "node:path";
import { runWithCodeCache } from "./code-cache";

// A piscina thread sleeps in Atomics.wait between tasks and is ended by its pool: its event loop never
// empties, so the first thread without a cache writes it at once.
runWithCodeCache(join(__dirname, "entry.bundle.js"), module, require, { writeAtOnce: true });
