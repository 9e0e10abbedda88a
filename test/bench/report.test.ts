import { describe, expect, it } from "vitest";
import { cell, formatRate, formatRatio, formatSeconds } from "../../bench/lib/format";
import { caseTable, checkTarget, renderMarkdown, summaryEntries, summaryTable, targetsTable } from "../../bench/lib/report";
import { caseResult, report, runner } from "./fixtures";

describe("formatting", () => {
  it("prints seconds in the unit that fits", () => {
    expect(formatSeconds(2.345)).toBe("2.35 s");
    expect(formatSeconds(0.0123)).toBe("12.3 ms");
    expect(formatSeconds(0.0000456)).toBe("45.6 µs");
    expect(formatSeconds(NaN)).toBe("—");
  });

  it("prints rates and ratios", () => {
    expect(formatRate(2_610_000)).toBe("2.61 M/s");
    expect(formatRate(22_000)).toBe("22.0 k/s");
    expect(formatRatio(2.134)).toBe("2.13×");
    expect(formatRatio(0.5)).toBe("0.50×");
    expect(formatRatio(12.34)).toBe("12.3×");
    expect(formatRatio(0.0049)).toBe("0.0049×");
    expect(formatRatio(Infinity)).toBe("—");
  });

  it("escapes pipes and line breaks in table cells", () => {
    expect(cell("a | b\nc")).toBe("a \\| b c");
  });
});

describe("summary table", () => {
  it("has one column per peer present and Lanes' speed ratio against each", () => {
    const lines = summaryTable(report()).split("\n");
    expect(lines[0]).toBe("| benchmark | vs serial loop | vs piscina, hand-chunked | vs workerpool, hand-chunked | vs Python multiprocessing |");
    expect(lines[1]).toBe("|---|---:|---:|---:|---:|");
    // serial 1 s vs 0.5 s: 2×; piscina 0.25 s: 0.5×; workerpool skipped; python 2 s for 50 items = 8×.
    expect(lines[2]).toBe("| Tiny items | 2.00× | 0.50× | skipped | 8.00× |");
  });

  it("pairs a runner with the Lanes runner it names", () => {
    const c = caseResult({
      runners: [
        runner("lanes pool.map", "lanes", 1),
        runner("lanes pool.imapUnordered", "lanes", 0.5),
        runner("python imap_unordered", "python", 2, { vs: "lanes pool.imapUnordered" }),
      ],
    });
    expect(summaryEntries(report([c]))).toEqual([
      { caseTitle: "Tiny items", peer: "python", peerLabel: "Python multiprocessing", runner: "python imap_unordered", vs: "lanes pool.imapUnordered", ratio: 4 },
    ]);
    expect(caseTable(c)).toContain("| 4.00× (vs lanes pool.imapUnordered) |");
  });

  it("says failed for a runner that threw", () => {
    const c = caseResult({ runners: [runner("lanes pool.map", "lanes", 1), runner("serial loop", "serial", NaN, { samples: [], median: undefined, error: "Error: boom\n  at x" })] });
    expect(summaryTable(report([c]))).toContain("| Tiny items | failed |");
    expect(caseTable(c)).toContain("| serial loop | failed: Error: boom |");
  });
});

describe("case table", () => {
  it("lists median, min, max, items/s and the ratio; the subject has none", () => {
    const lines = caseTable(caseResult()).split("\n");
    expect(lines[0]).toBe("| runner | median | min | max | items/s (median) | Lanes vs this |");
    expect(lines[2]).toBe("| lanes pool.map | 500 ms | 450 ms | 600 ms | 200.0/s | — |");
    expect(lines[3]).toBe("| serial loop | 1.00 s | 900 ms | 1.20 s | 100.0/s | 2.00× |");
    expect(lines[5]).toBe("| python Pool.map (50 items) | 2.00 s | 1.80 s | 2.40 s | 25.0/s | 8.00× |");
    expect(lines[6]).toBe("| workerpool, hand-chunked | skipped: not here | | | | |");
  });

  it("has no items/s column for one-operation cases", () => {
    const c = caseResult({ unit: "op", items: 1, subject: "lanes", runners: [runner("lanes", "lanes", 0.1, { vs: "lanes", items: 1 }), runner("piscina", "piscina", 0.05, { vs: "lanes", items: 1 })] });
    const lines = caseTable(c).split("\n");
    expect(lines[0]).toBe("| runner | median | min | max | Lanes vs this |");
    expect(lines[3]).toBe("| piscina | 50.0 ms | 45.0 ms | 60.0 ms | 0.50× |");
  });
});

describe("markdown report", () => {
  it("records the machine: cores, load before and after, Node and Python versions", () => {
    const md = renderMarkdown(report());
    expect(md).toContain("2 CPUs");
    expect(md).toContain("0.50 / 0.50 / 0.50 before, 1.50 / 1.00 / 0.70 after");
    expect(md).toContain("Node v20.0.0; Python 3.11.7");
    expect(md).toContain("## Tiny items");
  });
});

describe("speed targets", () => {
  it("checks a ratio goal and a time goal, and says when a runner was not measured", () => {
    const c = caseResult({
      targets: [
        { text: "≥ 1.9× serial", against: "serial loop", atLeast: 1.9 },
        { text: "≥ 3× piscina", against: "piscina, hand-chunked", atLeast: 3 },
        { text: "within 10 ms of piscina", against: "piscina, hand-chunked", withinSeconds: 0.01 },
        { text: "vs workerpool", against: "workerpool, hand-chunked", atLeast: 1 },
      ],
    });
    expect(checkTarget(c, c.targets![0]!)).toMatchObject({ met: true, actual: "2.00×" });
    expect(checkTarget(c, c.targets![1]!)).toMatchObject({ met: false, actual: "0.50×" });
    expect(checkTarget(c, c.targets![2]!)).toMatchObject({ met: false, actual: "+250 ms (500 ms vs 250 ms)" });
    expect(checkTarget(c, c.targets![3]!)).toMatchObject({ met: null });
    const table = targetsTable(report([c]));
    expect(table).toContain("| Tiny items | ≥ 1.9× serial | 2.00× | yes |");
    expect(table).toContain("| Tiny items | ≥ 3× piscina | 0.50× | **no** |");
    expect(table).toContain("| Tiny items | vs workerpool | not measured | ? |");
  });
});
