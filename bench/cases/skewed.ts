import { defineCase } from "../lib/case";
import { serialAndLanesMap, startLanes } from "../lib/lanes";
import { python, pythonSkip, startPiscina, startWorkerpool } from "../lib/peers";
import { chunks, defaultChunksize, spin } from "../lib/tasks";

export default defineCase({
  title: "Skewed: 400 items, the first 8 take 100× longer (25 ms vs 0.25 ms of busy CPU)",
  unit: "items",
  order: 40,
  plan(ctx) {
    const n = ctx.size(400, 40);
    const heavy = ctx.size(8, 2);
    const light = ctx.size(0.25, 0.05);
    const ms = Array.from({ length: n }, (_, i) => (i < heavy ? light * 100 : light));
    const total = ms.reduce((a, b) => a + b, 0);
    const size = defaultChunksize(n, ctx.workers);
    const sameMs = (out: unknown): void => {
      const xs = out as number[];
      if (xs.length !== n || xs.some((x, i) => x !== ms[i])) throw new Error(`wrong result: ${xs.slice(0, 3).join(", ")}… of ${xs.length}`);
    };
    return {
      items: n,
      subject: "lanes pool.map",
      notes: [
        `Each task busy-waits its length in wall time, so every language takes the same time per task: this measures scheduling, not JavaScript against Python. Serial: ${total.toFixed(0)} ms of work; the best ${ctx.workers} workers can do is about ${(total / ctx.workers).toFixed(0)} ms.`,
        `The heavy items are adjacent, so the default chunksize (${size}) puts them all in one chunk: where chunking hurts. Compare "lanes pool.map, chunksize 1".`,
      ],
      check: sameMs,
      runners: [
        ...serialAndLanesMap(ctx, spin, ms),
        {
          name: "lanes pool.map, chunksize 1",
          peer: "lanes",
          async prepare() {
            const pool = await startLanes(ctx);
            return { run: () => pool.map(spin, ms, { chunksize: 1 }), close: () => pool.terminate() };
          },
        },
        {
          name: "piscina, run() per item",
          peer: "piscina",
          async prepare() {
            const pool = await startPiscina(ctx);
            return { run: () => Promise.all(ms.map((m) => pool.run({ kind: "spin", ms: m }) as Promise<number>)), close: () => pool.destroy() };
          },
        },
        {
          name: `piscina, hand-chunked (${size}/run)`,
          peer: "piscina-chunked",
          async prepare() {
            const pool = await startPiscina(ctx);
            const parts = chunks(ms, size);
            return {
              run: async () => (await Promise.all(parts.map((xs) => pool.run({ kind: "spin-chunk", xs }) as Promise<number[]>))).flat(),
              close: () => pool.destroy(),
            };
          },
        },
        {
          name: "workerpool, exec() per item",
          peer: "workerpool",
          async prepare() {
            const pool = await startWorkerpool(ctx);
            return { run: () => Promise.all(ms.map((m) => pool.exec(spin, [m]) as Promise<number>)), close: () => pool.terminate() };
          },
        },
        { name: "python Pool.map (default chunksize)", peer: "python", skip: pythonSkip(ctx), prepare: () => python(ctx, "skewed", { ms }) },
      ],
    };
  },
});
