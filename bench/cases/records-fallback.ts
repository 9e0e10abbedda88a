import { defineCase } from "../lib/case";
import { serialAndLanesMap } from "../lib/lanes";
import { handChunkedPeers } from "../lib/peers";
import { bump, chunks, defaultChunksize, records, type Rec } from "../lib/tasks";

/**
 * The worst input for Lanes' column packing of records: every run it sends breaks the shape at its
 * very last record, so each packing attempt is thrown away and the run is cloned as it is.
 */
export default defineCase({
  title: "Tiny items: 10^5 records whose shape breaks at the end of every chunk → value + 1 (worst case for packing)",
  unit: "items",
  order: 21,
  plan(ctx) {
    const n = ctx.size(100_000, 1_000);
    const size = defaultChunksize(n, ctx.workers);
    const items: Rec[] = records(n).map((r, i) => (i % size === size - 1 ? { ...r, note: "one field more" } : r));
    const parts = chunks(items, size);
    return {
      items: n,
      subject: "lanes pool.map",
      notes: [
        `The last record of every chunk of ${size} has one field more: Lanes packs each run into columns up to that record, then gives up and sends the objects as they are (the results, all of one shape, still travel packed).`,
        `Hand-chunked peers cut the input in chunks of ${size}.`,
      ],
      targets: [{ text: "never more than 1.25× slower than hand-chunked raw piscina", against: `piscina, hand-chunked (${size}/run)`, atLeast: 0.8 }],
      check(out) {
        const rs = out as Rec[];
        const last = rs[n - 1];
        if (rs.length !== n || last?.id !== n - 1 || last.value !== (n - 1) * 0.5 + 1 || "note" in last) throw new Error(`wrong result: ${JSON.stringify(last)} of ${rs.length}`);
      },
      runners: [
        ...serialAndLanesMap(ctx, bump, items),
        ...handChunkedPeers(ctx, parts, "bump-chunk", (xs: Rec[]): Rec[] => xs.map((r) => ({ id: r.id, name: r.name, value: r.value + 1 }))),
      ],
    };
  },
});
