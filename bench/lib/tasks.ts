/**
 * The task functions every peer runs. Each is self-contained (no free names) so that Lanes can ship
 * it as source, workerpool can send it as text, and the raw piscina worker holds the same code.
 */

/** Count primes below `limit` by trial division: pure CPU, no allocation. */
export function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/**
 * Keeps a core busy for `ms` milliseconds of wall time. Task lengths are then the same in every
 * language, so the skewed case measures scheduling, not the speed of JavaScript against Python.
 */
export function spin(ms: number): number {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  return spins >= 0 ? ms : -1;
}

export const inc = (x: number): number => x + 1;

export interface Rec {
  id: number;
  name: string;
  value: number;
}

export const bump = (r: Rec): Rec => ({ id: r.id, name: r.name, value: r.value + 1 });

export function records(n: number): Rec[] {
  return Array.from({ length: n }, (_, i) => ({ id: i, name: `item-${i}`, value: i * 0.5 }));
}

/** Splits `items` into consecutive chunks of `size`, as a hand-chunking user would. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** CPython's `Pool.map` default, which Lanes copies: ceil(n / (4 × workers)). */
export function defaultChunksize(n: number, workers: number): number {
  return Math.max(1, Math.ceil(n / (4 * workers)));
}

/** Drains an async iterable, as a `for await` loop that only counts would. */
export async function drain(it: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}
