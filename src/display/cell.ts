/** One table value as a JSON cell: JSON has no NaN, Date, bigint or undefined, and a cell must stay small. */
import type { CellV1 } from "../wire/mime";

export function toCell(value: unknown, maxChars: number): CellV1 {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.isNaN(value) ? null : String(value);
  if (typeof value === "boolean") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "bigint") text = value.toString();
  else {
    try {
      text = JSON.stringify(value) ?? (typeof value === "function" || typeof value === "symbol" ? value.toString() : Object.prototype.toString.call(value));
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > maxChars ? text.slice(0, Math.max(0, maxChars - 1)) + "…" : text;
}
