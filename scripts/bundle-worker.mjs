// Bundles the compiled worker entries (dist/worker/entry.js for pools, dist/process/entry.js for
// Processes, each with the few modules it needs) into one file each. Every new worker thread loads it: one file instead of eight saves it about 4 ms of module
// resolution and loading, which is most of what a new pool's start-up costs beyond raw piscina's.
// A pool's or a Process's thread starts at entry-cached.bundle.js, which runs entry.bundle.js through V8's code cache
// (src/worker/code-cache.ts); the caches of earlier builds are deleted here (they would never be read:
// a cache is named after its bundle's size and time).
import { buildSync } from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "dist");
const bundles = [
  ["worker", "entry"],
  ["worker", "entry-cached"],
  ["process", "entry"],
  ["process", "entry-cached"],
];
for (const [dir, name] of bundles) {
  buildSync({
    entryPoints: [join(dist, dir, `${name}.js`)],
    outfile: join(dist, dir, `${name}.bundle.js`),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Half the bundle was msgpackr, which a queue loads only for the item that needs it: left out, it is
    // required from node_modules then, and every new thread compiles half the bytes.
    external: ["msgpackr"],
    logLevel: "warning",
  });
}
for (const dir of new Set(bundles.map(([d]) => d))) {
  for (const file of readdirSync(join(dist, dir))) {
    if (file.endsWith(".v8cache") || file.endsWith(".v8cache.tmp")) rmSync(join(dist, dir, file), { force: true });
  }
}
