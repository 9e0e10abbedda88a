import { defineCase } from "../lib/case";
import { serialAndLanesMap, startLanes } from "../lib/lanes";
import { bump, records, type Rec } from "../lib/tasks";

/** A notebook class: its instances cross with their class (src/ship/instance-codec.ts). */
class Item {
  constructor(
    readonly id: number,
    readonly name: string,
    readonly value: number,
  ) {}
  bumped(): Item {
    return new Item(this.id, this.name, this.value + 1);
  }
}

export default defineCase({
  title: "Tiny items: 10^5 class instances Item { id, name, value } → item.bumped() (default chunksize)",
  unit: "items",
  order: 22,
  plan(ctx) {
    const n = ctx.size(100_000, 1_000);
    const items = records(n).map((r) => new Item(r.id, r.name, r.value));
    const plain: Rec[] = records(n);
    return {
      items: n,
      subject: "lanes pool.map",
      notes: [
        "Instances in, instances out: each crosses as a small marked wire naming its class, and the class itself once per message; the results arrive as instances of the kernel's own Item.",
        "For scale, the same fields as plain records (which travel as columns) through the same pool; no peer keeps the class (structured clone and pickle-less JS peers would deliver plain objects).",
      ],
      check(out, runner) {
        const rs = out as Item[];
        const last = rs[n - 1];
        if (rs.length !== n || last?.value !== (n - 1) * 0.5 + 1) throw new Error(`wrong result: ${JSON.stringify(last)} of ${rs.length}`);
        if (runner !== "lanes pool.map, the same fields as plain records" && !(last instanceof Item)) throw new Error("the results lost their class");
      },
      runners: [
        ...serialAndLanesMap(ctx, (it: Item) => it.bumped(), items),
        {
          name: "lanes pool.map, the same fields as plain records",
          peer: "lanes",
          vs: "lanes pool.map",
          async prepare() {
            const pool = await startLanes(ctx);
            return { run: () => pool.map(bump, plain), close: () => pool.terminate() };
          },
        },
      ],
    };
  },
});
