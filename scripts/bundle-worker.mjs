// Bundles the compiled worker entries (dist/worker/entry.js for pools, dist/process/entry.js for
// Processes, each with the few modules it needs) into one file each. Every new worker thread loads it: one file instead of eight saves it about 4 ms of module
// resolution and loading, which is most of what a new pool's start-up costs beyond raw piscina's.
import { buildSync } from "esbuild";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "dist");
for (const dir of ["worker", "process"]) {
  buildSync({
    entryPoints: [join(dist, dir, "entry.js")],
    outfile: join(dist, dir, "entry.bundle.js"),
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
