/** The `text/html` fallback of a table: the first rows and the row count, static, every string escaped. */
import { escapeHtml } from "./escape";
import { formatCount, formatNumber } from "../wire/format";
import type { CellV1, TablePayloadV1 } from "../wire/mime";

function cellHtml(cell: CellV1): string {
  if (cell === null) return `<td style="color:#999">null</td>`;
  if (typeof cell === "number") return `<td style="text-align:right">${escapeHtml(formatNumber(cell))}</td>`;
  return `<td style="text-align:left">${escapeHtml(String(cell))}</td>`;
}

export function tableHtml(p: TablePayloadV1, previewRows: number): string {
  const head = p.columns.map((c) => `<th style="text-align:left">${escapeHtml(c.name)}<br><small style="font-weight:normal;color:#777">${escapeHtml(c.type)}</small></th>`).join("");
  const rows = p.rows.slice(0, Math.max(0, previewRows)).map((r) => `<tr>${r.map(cellHtml).join("")}</tr>`).join("");
  const shown = Math.min(p.rows.length, Math.max(0, previewRows));
  const note =
    shown < p.totalRows
      ? `First ${formatCount(shown)} of ${formatCount(p.totalRows)} rows` +
        (p.rows.length < p.totalRows ? ` (the Lanes view holds the first ${formatCount(p.rows.length)}; capped at ${formatCount(p.rowLimit)})` : "")
      : `${formatCount(p.totalRows)} rows`;
  return (
    `<div class="lanes-table"><table style="font-size:12px;border-collapse:collapse"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>` +
    `<p style="margin:4px 0;font-size:12px;color:#555">${escapeHtml(note)} × ${p.columns.length} columns</p></div>`
  );
}
