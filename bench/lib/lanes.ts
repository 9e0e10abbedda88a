/** Lanes as a notebook user gets it: the built package (bench/run.mjs points ../src at dist/). */
import { Pool } from "../../src";
import type { Context } from "./case";

export { Pool };

/** A Lanes pool with every worker started (one apply per worker is not enough: map warms them all). */
export async function startLanes(ctx: Context): Promise<Pool> {
  const pool = new Pool(ctx.workers);
  await pool.map((x: number) => x, Array.from({ length: ctx.workers * 4 }, (_, i) => i), 1);
  return pool;
}
