/**
 * The part of an arquero table Lanes reads, by shape rather than by import: `lanes` does not depend
 * on arquero (it is ESM-only and the user brings their own version).
 */

/** A column of an arquero table: an array, a typed array, or an Arrow-backed column. */
export interface ColumnLike {
  readonly length: number;
  at(row: number): unknown;
}

/** An arquero `ColumnTable` (versions 5–8), filtered and ordered or not. */
export interface ArqueroLike {
  numRows(): number;
  columnNames(): string[];
  column(name: string): ColumnLike | null | undefined;
  isFiltered(): boolean;
  isOrdered(): boolean;
  /** Row indices of the visible rows, in table order when `order` is true. */
  indices(order?: boolean): ArrayLike<number>;
}

/** Whether `x` looks like an arquero table. */
export function isArqueroTable(x: unknown): x is ArqueroLike {
  if (typeof x !== "object" || x === null) return false;
  const t = x as Record<string, unknown>;
  return ["numRows", "columnNames", "column", "isFiltered", "isOrdered", "indices"].every((m) => typeof t[m] === "function");
}

/** The table's row `k` (0-based, in table order) → the row index into its columns. */
export function rowIndexer(table: ArqueroLike): (k: number) => number {
  if (!table.isFiltered() && !table.isOrdered()) return (k) => k;
  const indices = table.indices(true);
  return (k) => indices[k]!;
}
