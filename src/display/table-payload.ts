/** An arquero table as a `application/vnd.lanes.table.v1+json` payload: capped rows, full-table summaries. */
import { rowIndexer, type ArqueroLike } from "./arquero-like";
import { toCell } from "./cell";
import { summarizeColumn } from "./column-summary";
import { columnType } from "./column-type";
import { TABLE_DEFAULTS, type TableDisplayOptions } from "./table-options";
import type { CellV1, TablePayloadV1, TableColumnV1 } from "../wire/mime";

export function tablePayload(table: ArqueroLike, options: TableDisplayOptions = {}): TablePayloadV1 {
  const o = { ...TABLE_DEFAULTS, ...options };
  const total = table.numRows();
  const row = rowIndexer(table);
  const names = table.columnNames();
  const data = names.map((name) => table.column(name) ?? { length: 0, at: () => undefined });
  const columns: TableColumnV1[] = names.map((name, c) => {
    const type = columnType(data[c]!, total, row);
    const column: TableColumnV1 = { name, type };
    if (o.summaries) column.summary = summarizeColumn(data[c]!, type, total, row, o.bins);
    return column;
  });
  const limit = Math.max(0, Math.floor(o.rows));
  const shown = Math.min(total, limit);
  const rows: CellV1[][] = [];
  for (let k = 0; k < shown; k++) {
    const i = row(k);
    rows.push(data.map((col) => toCell(col.at(i), o.maxCellChars)));
  }
  return { version: 1, columns, rows, totalRows: total, rowLimit: limit };
}
