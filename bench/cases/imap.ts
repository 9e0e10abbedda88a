import { defineCase } from "../lib/case";
import { startLanes } from "../lib/lanes";
import { python, pythonSkip, startPiscina, startWorkerpool } from "../lib/peers";
import { drain } from "../lib/tasks";

export default defineCase({
  title: "Per-item dispatch: imap with chunksize 1 over 10^5 tiny items (x + 1)",
  unit: "items",
  order: 50,
  plan(ctx) {
    const n = ctx.size(100_000, 1_000);
    const items = Array.from({ length: n }, (_, i) => i);
    return {
      items: n,
      subject: "lanes pool.imap",
      notes: [
        "Lanes and Python iterate results as they arrive (chunksize 1, their imap default); piscina and workerpool have no imap: one run() / exec() per item, all submitted at once, awaited together.",
      ],
      targets: [
        { text: "imap ≥ 5× Python's imap (chunksize 1)", against: "python Pool.imap(chunksize=1)", atLeast: 5 },
        { text: "imapUnordered ≥ 5× Python's imap_unordered (chunksize 1)", lanes: "lanes pool.imapUnordered", against: "python Pool.imap_unordered(chunksize=1)", atLeast: 5 },
      ],
      check(out) {
        if (out !== n && (!Array.isArray(out) || out.length !== n)) throw new Error(`wrong result: ${String(out)} items, expected ${n}`);
      },
      runners: [
        {
          name: "lanes pool.imap",
          peer: "lanes",
          async prepare() {
            const pool = await startLanes(ctx);
            return { run: () => drain(pool.imap((x: number) => x + 1, items)), close: () => pool.terminate() };
          },
        },
        {
          name: "lanes pool.imapUnordered",
          peer: "lanes",
          async prepare() {
            const pool = await startLanes(ctx);
            return { run: () => drain(pool.imapUnordered((x: number) => x + 1, items)), close: () => pool.terminate() };
          },
        },
        {
          name: "piscina, run() per item",
          peer: "piscina",
          async prepare() {
            const pool = await startPiscina(ctx);
            return { run: () => Promise.all(items.map((x) => pool.run({ kind: "inc", x }) as Promise<number>)), close: () => pool.destroy() };
          },
        },
        {
          name: "workerpool, exec() per item",
          peer: "workerpool",
          async prepare() {
            const pool = await startWorkerpool(ctx);
            const task = (x: number): number => x + 1;
            return { run: () => Promise.all(items.map((x) => pool.exec(task, [x]) as Promise<number>)), close: () => pool.terminate() };
          },
        },
        { name: "python Pool.imap(chunksize=1)", peer: "python", skip: pythonSkip(ctx), prepare: () => python(ctx, "imap", { n }) },
        {
          name: "python Pool.imap_unordered(chunksize=1)",
          peer: "python",
          vs: "lanes pool.imapUnordered",
          skip: pythonSkip(ctx),
          prepare: () => python(ctx, "imap-unordered", { n }),
        },
      ],
    };
  },
});
