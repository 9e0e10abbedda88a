import type { TablePayloadV1 } from "lanes/dist/wire/mime";

/** The payload if it has the shape the renderer reads, else `undefined` (saved notebooks hold anything). */
export function asTable(data: unknown): TablePayloadV1 | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const p = data as Partial<TablePayloadV1>;
  if (p.version !== 1 || !Array.isArray(p.columns) || !Array.isArray(p.rows)) return undefined;
  if (!p.columns.every((c) => typeof c === "object" && c !== null) || !p.rows.every(Array.isArray)) return undefined;
  return p as TablePayloadV1;
}
