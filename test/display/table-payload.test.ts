import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { tableBundle } from "../../src/display/table-bundle";
import { tablePayload } from "../../src/display/table-payload";
import { TABLE_MIME, type TablePayloadV1 } from "../../src/wire/mime";
import { tableProblems } from "./schema";

describe("table payload", () => {
  const table = aq.table({
    n: [3, 1, null, 2.5, NaN],
    s: ["b", "a", "b", null, "c"],
    ok: [true, false, true, null, true],
    d: [new Date("2024-01-02T00:00:00Z"), null, new Date("2023-05-06T00:00:00Z"), new Date("2025-01-01T00:00:00Z"), null],
    o: [{ a: 1 }, [1, 2], null, "x", 4],
  });
  const p = tablePayload(table);

  it("satisfies the schema", () => {
    expect(tableProblems(p)).toEqual([]);
  });

  it("names and types every column", () => {
    expect(p.columns.map((c) => [c.name, c.type])).toEqual([
      ["n", "number"],
      ["s", "string"],
      ["ok", "boolean"],
      ["d", "date"],
      ["o", "other"],
    ]);
  });

  it("turns values into JSON cells (dates as ISO, NaN as null, objects as JSON text)", () => {
    expect(p.rows[0]).toEqual([3, "b", true, "2024-01-02T00:00:00.000Z", '{"a":1}']);
    expect(p.rows[4]).toEqual([null, "c", true, null, 4]);
  });

  it("summarises each column: nulls, distinct, min/max, histogram for numbers", () => {
    const [n, s, ok, d] = p.columns;
    expect(n!.summary).toMatchObject({ nulls: 2, distinct: 3, min: 1, max: 3 });
    const h = n!.summary!.histogram!;
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(h.edges[0]).toBe(1);
    expect(h.edges[h.edges.length - 1]).toBe(3);
    expect(s!.summary).toMatchObject({ nulls: 1, distinct: 3, min: "a", max: "c" });
    expect(s!.summary!.histogram).toBeUndefined();
    expect(ok!.summary).toMatchObject({ nulls: 1, distinct: 2 });
    expect(d!.summary).toMatchObject({ nulls: 2, min: "2023-05-06T00:00:00.000Z", max: "2025-01-01T00:00:00.000Z" });
  });

  it("follows a filtered, ordered table's rows", () => {
    const view = table.filter((r: { n: number | null }) => r.n !== null && r.n > 1).orderby("n");
    const q = tablePayload(view);
    expect(q.totalRows).toBe(2);
    expect(q.rows.map((r) => r[0])).toEqual([2.5, 3]);
    expect(q.columns[0]!.summary).toMatchObject({ min: 2.5, max: 3, nulls: 0 });
  });

  it("caps the rows sent (default 1000, configurable) and always reports the total", () => {
    const big = aq.table({ i: Array.from({ length: 5000 }, (_, i) => i) });
    const q = tablePayload(big);
    expect(q.rows).toHaveLength(1000);
    expect(q).toMatchObject({ totalRows: 5000, rowLimit: 1000 });
    expect(tablePayload(big, { rows: 10 }).rows).toHaveLength(10);
  });

  it("cuts long strings", () => {
    const q = tablePayload(aq.table({ s: ["x".repeat(10_000)] }), { maxCellChars: 50 });
    expect(q.rows[0]![0]).toHaveLength(50);
    expect(String(q.rows[0]![0])).toMatch(/…$/);
  });

  it("keeps a 10^7-row table's display small and says it is capped", () => {
    const n = 10_000_000;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = (i * 7919) % 1000;
    const huge = aq.table({ v: values });
    const bundle = tableBundle(huge);
    const bytes = Object.values(bundle).reduce<number>((sum, v) => sum + (typeof v === "string" ? v.length : JSON.stringify(v).length), 0);
    console.log(`10^7-row table: ${(bytes / 1e3).toFixed(1)} kB for the whole bundle`);
    expect(bytes).toBeLessThan(100_000);
    const payload = bundle[TABLE_MIME] as TablePayloadV1;
    expect(payload.totalRows).toBe(n);
    expect(payload.rows).toHaveLength(1000);
    expect(payload.columns[0]!.summary).toMatchObject({ min: 0, max: 999, nulls: 0, distinct: 1000 });
    expect(bundle["text/html"]).toMatch(/First 20 of 10,000,000 rows/);
    expect(bundle["text/html"]).toMatch(/capped at 1,000/);
    expect(bundle["text/plain"]).toMatch(/9,999,980 more rows \(10,000,000 × 1\)/);
  });

  it("stops counting distinct values at a cap", () => {
    const q = tablePayload(aq.table({ s: Array.from({ length: 150_000 }, (_, i) => `k${i}`) }));
    expect(q.columns[0]!.summary).toMatchObject({ distinct: 100_000, distinctCapped: true });
  });
});
