import { describe, expect, it } from "vitest";
import { ratio, summarize } from "../../bench/lib/stats";

describe("summarize", () => {
  it("gives the middle sample of an odd count, with min and max", () => {
    expect(summarize([5, 1, 3, 9, 2])).toEqual({ median: 3, min: 1, max: 9, n: 5 });
  });

  it("averages the two middle samples of an even count", () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
  });

  it("takes a single sample as median, min and max", () => {
    expect(summarize([0.25])).toEqual({ median: 0.25, min: 0.25, max: 0.25, n: 1 });
  });

  it("leaves its input unsorted", () => {
    const xs = [3, 1, 2];
    summarize(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it("refuses no samples and samples that are not finite numbers", () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, NaN])).toThrow(/not a finite number/);
    expect(() => summarize([Infinity])).toThrow(RangeError);
  });
});

describe("ratio", () => {
  it("is the peer's time per item over the subject's: above 1, the subject is faster", () => {
    expect(ratio({ median: 1, items: 100 }, { median: 2, items: 100 })).toBe(2);
    expect(ratio({ median: 2, items: 100 }, { median: 1, items: 100 })).toBe(0.5);
  });

  it("compares per item when a peer ran fewer items", () => {
    // Peer: 1 s for 10 items = 0.1 s/item; subject: 1 s for 100 items = 0.01 s/item.
    expect(ratio({ median: 1, items: 100 }, { median: 1, items: 10 })).toBeCloseTo(10);
  });
});
