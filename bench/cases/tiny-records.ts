import { defineCase } from "../lib/case";
import { serialAndLanesMap } from "../lib/lanes";
import { handChunkedPeers, python, pythonSkip } from "../lib/peers";
import { bump, chunks, defaultChunksize, records, type Rec } from "../lib/tasks";

export default defineCase({
  title: "Tiny items: 10^5 records { id, name, value } → value + 1 (default chunksize)",
  unit: "items",
  order: 20,
  plan(ctx) {
    const n = ctx.size(100_000, 1_000);
    const items = records(n);
    const size = defaultChunksize(n, ctx.workers);
    const parts = chunks(items, size);
    return {
      items: n,
      subject: "lanes pool.map",
      notes: [
        "Records in, records out. Lanes sends runs of same-shaped records as columns (a Float64Array per numeric field, an array per other field) and rebuilds them on the other side; the peers send the objects as they are (structured clone, pickle).",
        `Hand-chunked peers cut the input in chunks of ${size}. One run() / exec() per item is left out here (its cost per item is measured in the imap case).`,
      ],
      targets: [{ text: "never more than 1.25× slower than hand-chunked raw piscina", against: `piscina, hand-chunked (${size}/run)`, atLeast: 0.8 }],
      check(out) {
        const rs = out as Rec[];
        const last = rs[n - 1];
        if (rs.length !== n || last?.id !== n - 1 || last.name !== `item-${n - 1}` || last.value !== (n - 1) * 0.5 + 1) throw new Error(`wrong result: ${JSON.stringify(last)} of ${rs.length}`);
      },
      runners: [
        ...serialAndLanesMap(ctx, bump, items),
        ...handChunkedPeers(ctx, parts, "bump-chunk", (xs: Rec[]): Rec[] => xs.map((r) => ({ id: r.id, name: r.name, value: r.value + 1 }))),
        { name: "python Pool.map (default chunksize)", peer: "python", skip: pythonSkip(ctx), prepare: () => python(ctx, "map-records", { n }) },
      ],
    };
  },
});
