import { describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { AggregateTaskError, RemoteError, TimeoutError, WorkerCrashedError, type TaskError } from "../../src/errors";

// Issue 14 point 11: 10^6 items with seeded throws, process.exit crashes and endless loops mixed in.
const N = 1_000_000;
const OK = 0;
const THROWS = 1;
const EXITS = 2;
const SPINS = 3;

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What each item does: mostly a result, 1 in 200 throws, and a handful of crashes and endless loops. */
function plan(seed: number, crashes: number, spins: number): Uint8Array {
  const next = random(seed);
  // Shared: every worker reads the one plan instead of a copy of it.
  const kinds = new Uint8Array(new SharedArrayBuffer(N));
  for (let i = 0; i < N; i++) if (next() < 0.005) kinds[i] = THROWS;
  const place = (kind: number, count: number): void => {
    for (let placed = 0; placed < count; ) {
      const i = Math.floor(next() * N);
      if (kinds[i] !== OK) continue;
      kinds[i] = kind;
      placed++;
    }
  };
  place(EXITS, crashes);
  place(SPINS, spins);
  return kinds;
}

const expectedKind: Record<number, new (...args: never[]) => TaskError> = { [THROWS]: RemoteError, [EXITS]: WorkerCrashedError, [SPINS]: TimeoutError };

describe("chaos", () => {
  it("10^6 items with throws, crashes and timeouts: each item once, as its result or its typed error at its index", async () => {
    const seed = 20261202;
    const kinds = plan(seed, 6, 3);
    await Pool.with(2, async (pool) => {
      const task = (i: number) => {
        const kind = kinds[i];
        if (kind === 1) throw new RangeError(`item ${i} throws`);
        if (kind === 2) process.exit(100 + (i % 100));
        if (kind === 3) for (;;);
        return (i * 7) % 1009;
      };
      // 1.5 s is far above what an item here needs, even on a loaded machine: only the endless loops reach it.
      const error = await pool.map(task, Array.from({ length: N }, (_, i) => i), { stopOnError: false, timeout: 1500, context: { kinds } }).catch((e: unknown) => e);
      expect(error, `seed ${seed}`).toBeInstanceOf(AggregateTaskError);
      const { errors, results } = error as AggregateTaskError<number>;
      expect(results).toHaveLength(N);
      const failedAt = new Map<number, TaskError>();
      for (const e of errors) {
        expect(e.index, "an error without an index").toBeTypeOf("number");
        expect(failedAt.has(e.index!), `item ${e.index!} failed twice`).toBe(false);
        failedAt.set(e.index!, e);
      }
      let planned = 0;
      const wrong: string[] = [];
      for (let i = 0; i < N; i++) {
        const kind = kinds[i]!;
        const failure = failedAt.get(i);
        if (kind === OK) {
          if (failure !== undefined || results[i] !== (i * 7) % 1009) wrong.push(`item ${i}: ${failure?.name ?? String(results[i])}`);
          continue;
        }
        planned++;
        const Kind = expectedKind[kind]!;
        if (!(failure instanceof Kind) || results[i] !== undefined) wrong.push(`item ${i}: expected ${Kind.name}, got ${failure?.name ?? String(results[i])}`);
        else if (kind === EXITS && (failure as WorkerCrashedError).exitCode !== 100 + (i % 100)) wrong.push(`item ${i}: exit code ${String((failure as WorkerCrashedError).exitCode)}`);
      }
      expect(wrong.slice(0, 10), `seed ${seed}`).toEqual([]);
      expect(errors).toHaveLength(planned);
      // Every worker that died or was ended was replaced.
      expect(pool.threadIds).toHaveLength(2);
      await expect(pool.map((x: number) => x + 1, [1, 2, 3])).resolves.toEqual([2, 3, 4]);
    });
  }, 120_000);
});
