/**
 * Per-column summary of a table: nulls, distinct values, min/max, and a histogram for numbers.
 * Computed over every row (not only the rows sent), with bounded memory: distinct counting stops
 * at a cap.
 */
import type { ColumnLike } from "./arquero-like";
import type { ColumnSummaryV1, ColumnType } from "../wire/mime";

/** Distinct values counted before giving up (a Set of 10^7 strings would cost gigabytes). */
export const DISTINCT_CAP = 100_000;

function isNull(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) || (v instanceof Date && Number.isNaN(v.getTime()));
}

function key(v: unknown, type: ColumnType): unknown {
  return type === "date" ? (v as Date).getTime() : v;
}

export function summarizeColumn(column: ColumnLike, type: ColumnType, rows: number, row: (k: number) => number, bins: number): ColumnSummaryV1 {
  let nulls = 0;
  const distinct = new Set<unknown>();
  let capped = false;
  let min: number | string | undefined;
  let max: number | string | undefined;
  const ordered = type === "number" || type === "string" || type === "date";
  for (let k = 0; k < rows; k++) {
    const v = column.at(row(k));
    if (isNull(v)) {
      nulls++;
      continue;
    }
    if (!capped) {
      distinct.add(key(v, type));
      if (distinct.size >= DISTINCT_CAP) capped = true;
    }
    if (!ordered) continue;
    const x = type === "date" ? (v as Date).getTime() : typeof v === "bigint" ? Number(v) : (v as number | string);
    if (typeof x !== typeof (min ?? x)) continue; // a stray value of another type: not comparable
    if (min === undefined || x < min) min = x;
    if (max === undefined || x > max) max = x;
  }
  const summary: ColumnSummaryV1 = { nulls, distinct: distinct.size };
  if (capped) summary.distinctCapped = true;
  if (min !== undefined && max !== undefined) {
    summary.min = type === "date" ? new Date(min).toISOString() : min;
    summary.max = type === "date" ? new Date(max).toISOString() : max;
  }
  if (type === "number" && typeof min === "number" && typeof max === "number" && Number.isFinite(min) && Number.isFinite(max)) {
    summary.histogram = histogram(column, rows, row, min, max, bins);
  }
  return summary;
}

function histogram(column: ColumnLike, rows: number, row: (k: number) => number, min: number, max: number, bins: number): { edges: number[]; counts: number[] } {
  const n = min === max ? 1 : Math.max(1, Math.floor(bins));
  const width = (max - min) / n;
  const edges = Array.from({ length: n + 1 }, (_, i) => (i === n ? max : min + i * width));
  const counts = new Array<number>(n).fill(0);
  for (let k = 0; k < rows; k++) {
    const v = column.at(row(k));
    const x = typeof v === "bigint" ? Number(v) : v;
    if (typeof x !== "number" || !Number.isFinite(x)) continue;
    const b = width > 0 ? Math.min(n - 1, Math.floor((x - min) / width)) : 0;
    counts[b]!++;
  }
  return { edges, counts };
}
