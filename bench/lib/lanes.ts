/** Lanes as a notebook user gets it: the built package (bench/run.mjs points ../src at dist/). */
import { Pool } from "../../src";
import type { Context, Runner } from "./case";

export { Pool };

/** A Lanes pool with every worker started (one apply per worker is not enough: map warms them all). */
export async function startLanes(ctx: Context): Promise<Pool> {
  const pool = new Pool(ctx.workers);
  await pool.map((x: number) => x, Array.from({ length: ctx.workers * 4 }, (_, i) => i), 1);
  return pool;
}

/** The serial loop and the Lanes `pool.map` runners of a map benchmark, both over `fn`. */
export function serialAndLanesMap<T, R>(ctx: Context, fn: (x: T) => R, items: T[]): Runner[] {
  return [
    { name: "serial loop", peer: "serial", prepare: () => ({ run: () => items.map(fn) }) },
    {
      name: "lanes pool.map",
      peer: "lanes",
      async prepare() {
        const pool = await startLanes(ctx);
        return { run: () => pool.map(fn, items), close: () => pool.terminate() };
      },
    },
  ];
}
