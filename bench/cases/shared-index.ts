import { defineCase } from "../lib/case";
import { SharedArray } from "../../src";

export default defineCase({
  title: "Shared memory: 10^7 indexed reads + writes, Array('d') vs Float64Array",
  unit: "items",
  order: 92,
  plan(ctx) {
    const size = ctx.size(1_000_000, 1_000);
    const rounds = ctx.size(10, 2);
    const n = size * rounds;
    return {
      items: n,
      subject: "lanes Array arr[i]",
      notes: [
        `${rounds} passes of a[i] = a[i] + 1 over ${size} doubles (one item = one read + one write).`,
        "arr[i] is the typed array's own indexing (out of range: undefined / dropped); getItem/setItem check the index and throw IndexError, as Python does.",
      ],
      targets: [{ text: "arr[i] within 2× of a Float64Array", lanes: "lanes Array arr[i]", against: "Float64Array", atLeast: 0.5 },
        { text: "checked getItem/setItem within 2× of a Float64Array", lanes: "lanes Array getItem/setItem (checked)", against: "Float64Array", atLeast: 0.5 }],
      check(out) {
        if (typeof out !== "number" || out !== rounds) throw new Error(`wrong element ${String(out)}`);
      },
      runners: [
        {
          name: "Float64Array",
          peer: "serial",
          vs: "lanes Array arr[i]",
          prepare: () => {
            const a = new Float64Array(size);
            return { run: () => { for (let r = 0; r < rounds; r++) for (let i = 0; i < size; i++) a[i] = a[i]! + 1; return a[size - 1]; }, after: () => a.fill(0) };
          },
        },
        {
          name: "lanes Array arr[i]",
          peer: "lanes",
          prepare: () => {
            const a = SharedArray("d", size);
            return { run: () => { for (let r = 0; r < rounds; r++) for (let i = 0; i < size; i++) a[i] = a[i]! + 1; return a[size - 1]; }, after: () => a.fill(0) };
          },
        },
        {
          name: "lanes Array getItem/setItem (checked)",
          peer: "lanes",
          prepare: () => {
            const a = SharedArray("d", size);
            return { run: () => { for (let r = 0; r < rounds; r++) for (let i = 0; i < size; i++) a.setItem(i, a.getItem(i) + 1); return a[size - 1]; }, after: () => a.fill(0) };
          },
        },
        {
          name: "lanes Array toTypedArray()",
          peer: "lanes",
          prepare: () => {
            const arr = SharedArray("d", size);
            const a = arr.toTypedArray();
            return { run: () => { for (let r = 0; r < rounds; r++) for (let i = 0; i < size; i++) a[i] = a[i]! + 1; return a[size - 1]; }, after: () => a.fill(0) };
          },
        },
      ],
    };
  },
});
