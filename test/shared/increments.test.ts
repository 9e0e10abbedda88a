import { describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { Value } from "../../src/shared";

const PER_WORKER = 1_000_000;

describe("locked increments of one Value('i') from many workers", () => {
  for (const workers of [2, 4, 8]) {
    it(`${workers} workers x 10^6: the exact total`, async () => {
      const pool = new Pool(workers);
      try {
        const counter = Value("i", 0);
        const add = (n: number) => {
          const lock = counter.getLock();
          for (let k = 0; k < n; k++) {
            lock.acquire();
            counter.value++;
            lock.release();
          }
          return n;
        };
        await pool.map(add, Array.from({ length: workers }, () => PER_WORKER), { chunksize: 1 });
        expect(counter.value).toBe(workers * PER_WORKER);
      } finally {
        await pool.terminate();
      }
    }, 120_000);
  }
});
