/** The `text/plain` fallback of a table: aligned first rows and the row count. */
import { formatCount, formatNumber } from "../wire/format";
import type { CellV1, TablePayloadV1 } from "../wire/mime";

/** Widest column printed; longer values are cut. */
const WIDTH = 24;

function cut(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > WIDTH ? flat.slice(0, WIDTH - 1) + "…" : flat;
}

function cellText(cell: CellV1): string {
  return cell === null ? "null" : typeof cell === "number" ? formatNumber(cell) : String(cell);
}

export function tableText(p: TablePayloadV1, previewRows: number): string {
  const rows = p.rows.slice(0, Math.max(0, previewRows));
  const grid = [p.columns.map((c) => cut(c.name)), ...rows.map((r) => r.map((c) => cut(cellText(c))))];
  const widths = p.columns.map((_, c) => Math.max(...grid.map((r) => (r[c] ?? "").length)));
  const lines = grid.map((r) => r.map((v, c) => v.padEnd(widths[c] ?? 0)).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "─".repeat(w)).join("  "));
  const more = p.totalRows - rows.length;
  lines.push(more > 0 ? `… ${formatCount(more)} more rows (${formatCount(p.totalRows)} × ${p.columns.length})` : `(${formatCount(p.totalRows)} × ${p.columns.length})`);
  return lines.join("\n");
}
