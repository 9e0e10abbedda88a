/** A column's type, guessed from its first non-null values (arquero columns are untyped JS arrays). */
import type { ColumnLike } from "./arquero-like";
import type { ColumnType } from "../wire/mime";

/** Values looked at: enough to see the type, cheap on a 10^7-row column. */
const SAMPLE = 1000;

function typeOf(value: unknown): ColumnType {
  if (typeof value === "number" || typeof value === "bigint") return "number";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (value instanceof Date) return "date";
  return "other";
}

export function columnType(column: ColumnLike, rows: number, row: (k: number) => number): ColumnType {
  if (ArrayBuffer.isView(column)) return "number";
  let seen: ColumnType | undefined;
  for (let k = 0, looked = 0; k < rows && looked < SAMPLE; k++) {
    const v = column.at(row(k));
    if (v === null || v === undefined) continue;
    looked++;
    const t = typeOf(v);
    if (seen === undefined) seen = t;
    else if (seen !== t) return "other";
  }
  return seen ?? "other";
}
