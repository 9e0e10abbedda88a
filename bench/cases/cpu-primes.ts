import { defineCase } from "../lib/case";
import { serialAndLanesMap } from "../lib/lanes";
import { python, pythonSkip, startBareThreads, startPiscina, startWorkerpool } from "../lib/peers";
import { chunks, countPrimes, defaultChunksize } from "../lib/tasks";

export default defineCase({
  title: "CPU-bound: count primes below 200 000 by trial division, 64 items",
  unit: "items",
  order: 30,
  plan(ctx) {
    const limit = ctx.size(200_000, 2_000);
    const n = ctx.size(64, 8);
    const items = Array<number>(n).fill(limit);
    const expected = countPrimes(limit);
    const size = defaultChunksize(n, ctx.workers);
    // CPython is ~40× slower at this loop: all 64 items would take half a minute per run.
    const pyItems = Math.min(n, 4 * ctx.workers);
    return {
      items: n,
      subject: "lanes pool.map",
      notes: [
        `Python runs ${pyItems} of the ${n} items (the same task each; its figures are per item): CPython runs this loop ~40× slower than V8, so its ratio is mostly the language, not the pool.`,
        `Ideal speed-up over the serial loop with ${ctx.workers} workers: ${ctx.workers}×. "Bare threads" is what this machine gives in the same run with no pool at all: ${ctx.workers} worker_threads, each sent an equal share of the items in one message.`,
      ],
      // Seconds-long bodies on a shared machine swing ±20 % run to run: more rounds for a steadier median.
      runs: 9,
      targets: [{ text: "≥ 1.9× faster than the same loop serially", against: "serial loop", atLeast: 1.9 }],
      check(out) {
        const xs = out as number[];
        if (xs.length !== n || xs.some((x) => x !== expected)) throw new Error(`wrong result: ${xs.slice(0, 3).join(", ")}…, expected ${expected}`);
      },
      runners: [
        ...serialAndLanesMap(ctx, countPrimes, items),
        {
          name: "bare threads, static split",
          peer: "threads",
          async prepare() {
            const threads = await startBareThreads(ctx);
            const shares = chunks(items, Math.ceil(n / ctx.workers)).map((xs) => ({ kind: "primes-chunk", xs }));
            return { run: async () => ((await threads.run(shares)) as number[][]).flat(), close: () => threads.close() };
          },
        },
        {
          name: "piscina, run() per item",
          peer: "piscina",
          async prepare() {
            const pool = await startPiscina(ctx);
            return { run: () => Promise.all(items.map((l) => pool.run({ kind: "primes", limit: l }) as Promise<number>)), close: () => pool.destroy() };
          },
        },
        {
          name: `piscina, hand-chunked (${size}/run)`,
          peer: "piscina-chunked",
          async prepare() {
            const pool = await startPiscina(ctx);
            const parts = chunks(items, size);
            return {
              run: async () => (await Promise.all(parts.map((xs) => pool.run({ kind: "primes-chunk", xs }) as Promise<number[]>))).flat(),
              close: () => pool.destroy(),
            };
          },
        },
        {
          name: "workerpool, exec() per item",
          peer: "workerpool",
          async prepare() {
            const pool = await startWorkerpool(ctx);
            return { run: () => Promise.all(items.map((l) => pool.exec(countPrimes, [l]) as Promise<number>)), close: () => pool.terminate() };
          },
        },
        {
          name: "python Pool.map (default chunksize)",
          peer: "python",
          items: pyItems,
          skip: pythonSkip(ctx),
          prepare: () => python(ctx, "primes", { n: pyItems, limit }),
        },
      ],
    };
  },
});
