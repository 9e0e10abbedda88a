import { defineCase } from "../lib/case";
import { serialAndLanesMap } from "../lib/lanes";
import { handChunkedPeers, pythonSkip, python } from "../lib/peers";
import { chunks, defaultChunksize, inc } from "../lib/tasks";

export default defineCase({
  title: "Tiny items: x + 1 over 10^6 numbers (default chunksize)",
  unit: "items",
  order: 10,
  plan(ctx) {
    const n = ctx.size(1_000_000, 2_000);
    const items = Array.from({ length: n }, (_, i) => i);
    const size = defaultChunksize(n, ctx.workers);
    const parts = chunks(items, size);
    return {
      items: n,
      subject: "lanes pool.map",
      notes: [
        `Hand-chunked peers cut the input in chunks of ${size} (ceil(n / (4 × workers)), the default Lanes and CPython use) and flatten the results.`,
        "One run() / exec() per item is left out here (10^6 messages: about a minute per run); the per-item peers are measured in the imap case.",
      ],
      targets: [
        { text: "≥ 3× the items/s of Python's Pool.map (default chunksize)", against: "python Pool.map (default chunksize)", atLeast: 3 },
        { text: "never more than 1.25× slower than hand-chunked raw piscina", against: `piscina, hand-chunked (${size}/run)`, atLeast: 0.8 },
      ],
      check(out) {
        const xs = out as number[];
        if (xs.length !== n || xs[0] !== 1 || xs[n - 1] !== n) throw new Error(`wrong result: length ${xs.length}, first ${xs[0]}, last ${xs[n - 1]}`);
      },
      runners: [
        ...serialAndLanesMap(ctx, inc, items),
        ...handChunkedPeers(ctx, parts, "inc-chunk", (xs: number[]): number[] => xs.map((x) => x + 1)),
        { name: "python Pool.map (default chunksize)", peer: "python", skip: pythonSkip(ctx), prepare: () => python(ctx, "map-inc", { n }) },
      ],
    };
  },
});
