/** Options of table displays (`show(table, options)`). */
export interface TableDisplayOptions {
  /**
   * Rows put into the Lanes payload (what the extension can page through). The whole table's row
   * count and column summaries are always included, so a 10^7-row table costs the same as a
   * 1000-row one in the saved notebook.
   * @default 1000
   * @example show(flights, { rows: 200 })
   */
  rows?: number;
  /**
   * Rows shown by the static HTML and text fallbacks (GitHub, nbviewer, a terminal).
   * @default 20
   * @example show(flights, { previewRows: 5 })
   */
  previewRows?: number;
  /**
   * Histogram bins per numeric column.
   * @default 20
   * @example show(flights, { bins: 10 })
   */
  bins?: number;
  /**
   * Longest string kept in a cell; longer ones are cut and end in "…".
   * @default 500
   * @example show(docs, { maxCellChars: 80 })
   */
  maxCellChars?: number;
  /**
   * Compute per-column summaries (a pass over every row). Turn off for very wide, very long tables.
   * @default true
   * @example show(huge, { summaries: false })
   */
  summaries?: boolean;
}

export const TABLE_DEFAULTS: Required<TableDisplayOptions> = { rows: 1000, previewRows: 20, bins: 20, maxCellChars: 500, summaries: true };
