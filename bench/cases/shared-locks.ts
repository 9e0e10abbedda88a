import { defineCase } from "../lib/case";
import { Pool } from "../lib/lanes";
import { python, pythonSkip } from "../lib/peers";
import { Lock, Value } from "../../src";

const WORKERS = 2;

export default defineCase({
  title: "Shared memory: 2 workers × 2·10^5 locked increments of one Value('i')",
  unit: "items",
  order: 90,
  plan(ctx) {
    const n = ctx.size(200_000, 2_000);
    const total = WORKERS * n;
    const parts = Array.from({ length: WORKERS }, () => n);
    /** A pool of 2 with both workers started, and `fn` shipped once before the clock. */
    const lanesRunner = (name: string, make: () => { fn: (n: number) => number; read: () => number; reset: () => void }) => ({
      name,
      peer: "lanes" as const,
      async prepare() {
        const pool = new Pool(WORKERS);
        const { fn, read, reset } = make();
        await pool.map(fn, [1, 1], { chunksize: 1 });
        return {
          run: async () => {
            reset();
            await pool.map(fn, parts, { chunksize: 1 });
            return read();
          },
          close: () => pool.terminate(),
        };
      },
    });
    return {
      items: total,
      subject: "lanes Lock.withLock",
      notes: [
        "Each runner: 2 workers, each doing n increments of one shared int32 (Lanes: pool.map over [n, n], chunksize 1, the Value captured by the closure; the time includes the map's dispatch).",
        "Python: two multiprocessing.Process, `with v.get_lock(): v.value += 1`, timed from an Event.set() to both joins (processes started before the clock).",
        "Atomics.add on the same word is the limit: one hardware atomic per increment, no lock.",
      ],
      targets: [
        { text: "≥ 10× Python's locked increments", against: "python Value.get_lock()", atLeast: 10 },
      ],
      check(out) {
        if (out !== total) throw new Error(`wrong total: ${String(out)} (want ${total})`);
      },
      runners: [
        lanesRunner("lanes Lock.withLock", () => {
          const v = Value("i", 0, { lock: new Lock() });
          const fn = (k: number) => {
            const lock = v.getLock();
            for (let i = 0; i < k; i++) lock.withLock(() => v.value++);
            return k;
          };
          return { fn, read: () => v.value, reset: () => (v.value = 0) };
        }),
        lanesRunner("lanes acquire/release", () => {
          const v = Value("i", 0, { lock: new Lock() });
          const fn = (k: number) => {
            const lock = v.getLock();
            for (let i = 0; i < k; i++) {
              lock.acquire();
              v.value++;
              lock.release();
            }
            return k;
          };
          return { fn, read: () => v.value, reset: () => (v.value = 0) };
        }),
        lanesRunner("lanes RLock (Value's default getLock())", () => {
          const v = Value("i", 0);
          const fn = (k: number) => {
            const lock = v.getLock();
            for (let i = 0; i < k; i++) lock.withLock(() => v.value++);
            return k;
          };
          return { fn, read: () => v.value, reset: () => (v.value = 0) };
        }),
        lanesRunner("Atomics.add (the limit)", () => {
          const v = Value("i", 0, { lock: false });
          const fn = (k: number) => {
            const a = v.toTypedArray();
            for (let i = 0; i < k; i++) Atomics.add(a, 0, 1);
            return k;
          };
          return { fn, read: () => v.value, reset: () => (v.value = 0) };
        }),
        {
          name: "python Value.get_lock()",
          peer: "python" as const,
          skip: pythonSkip(ctx),
          prepare: () => python({ ...ctx, workers: WORKERS }, "locked-inc", { n }),
        },
      ],
    };
  },
});
