import { Piscina } from "piscina";
import * as workerpool from "workerpool";
import { defineCase } from "../lib/case";
import { Pool } from "../lib/lanes";
import { piscinaWorker, python, pythonSkip } from "../lib/peers";

export default defineCase({
  title: "Start-up: new pool to first result",
  unit: "op",
  order: 60,
  plan(ctx) {
    const w = ctx.workers;
    return {
      items: 1,
      subject: "lanes new Pool() + apply",
      runs: 9,
      notes: [
        `Each run creates a pool of ${w} workers, waits for one trivial task's result, then (off the clock) shuts the pool down. Python: Pool(${w}) + apply, timed inside a fresh interpreter (its import time is not counted).`,
      ],
      targets: [{ text: "within 10 ms of raw piscina's", against: "piscina new Piscina() + run", withinSeconds: 0.01 }],
      check(out) {
        if (out !== 1) throw new Error(`wrong result: ${String(out)}`);
      },
      runners: [
        {
          name: "lanes new Pool() + apply",
          peer: "lanes",
          prepare() {
            let pool: Pool | undefined;
            return {
              run: async () => {
                pool = new Pool(w);
                return pool.apply(() => 1);
              },
              after: () => pool?.terminate(),
            };
          },
        },
        {
          name: "piscina new Piscina() + run",
          peer: "piscina",
          prepare() {
            let pool: Piscina | undefined;
            return {
              run: () => {
                pool = new Piscina({ filename: piscinaWorker(ctx), minThreads: w, maxThreads: w });
                return pool.run({ kind: "one" });
              },
              after: () => pool?.destroy(),
            };
          },
        },
        {
          name: "workerpool pool() + exec",
          peer: "workerpool",
          prepare() {
            let pool: ReturnType<typeof workerpool.pool> | undefined;
            return {
              run: () => {
                pool = workerpool.pool({ workerType: "thread", minWorkers: w, maxWorkers: w });
                return pool.exec(() => 1, []);
              },
              after: () => pool?.terminate(),
            };
          },
        },
        { name: "python Pool() + apply", peer: "python", skip: pythonSkip(ctx), prepare: () => python(ctx, "startup") },
      ],
    };
  },
});
