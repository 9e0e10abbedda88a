import { formatCount, formatNumber } from "lanes/dist/wire/format";
import type { ColumnType, TableColumnV1 } from "lanes/dist/wire/mime";
import { element } from "./dom";
import { miniHistogram } from "./table-histogram";

const BADGES: Record<ColumnType, string> = { number: "num", string: "str", boolean: "bool", date: "date", other: "obj" };

/** The short badge of a column type; unknown types (newer or hand-edited payloads) read "?". */
export function badgeText(type: unknown): string {
  return typeof type === "string" && Object.prototype.hasOwnProperty.call(BADGES, type) ? BADGES[type as ColumnType] : "?";
}

const bound = (v: number | string): string => (typeof v === "number" ? formatNumber(v) : String(v));

/** The summary cell under a column's name: mini histogram or min/max, distinct and null counts. */
export function summaryCell(column: TableColumnV1): HTMLTableCellElement {
  const cell = element("td", "lanes-ColumnSummary");
  const s = column.summary;
  if (!s) return cell;
  if (s.histogram && Array.isArray(s.histogram.counts) && Array.isArray(s.histogram.edges)) cell.append(miniHistogram(s.histogram));
  if (s.min !== undefined && s.max !== undefined) cell.append(element("div", "lanes-Range", `${bound(s.min)} … ${bound(s.max)}`));
  const counts: string[] = [];
  if (typeof s.distinct === "number") counts.push(`${formatCount(s.distinct)}${s.distinctCapped ? "+" : ""} distinct`);
  if (typeof s.nulls === "number" && s.nulls > 0) counts.push(`${formatCount(s.nulls)} null`);
  if (counts.length > 0) cell.append(element("div", "lanes-Counts", counts.join(" · ")));
  return cell;
}

/** A header cell: a button with the column name and its type badge; clicking it sorts. */
export function headerCell(column: TableColumnV1, onSort: () => void): HTMLTableCellElement {
  const th = element("th", "lanes-ColumnHeader");
  th.scope = "col";
  th.setAttribute("aria-sort", "none");
  const button = element("button", "lanes-SortButton");
  button.type = "button";
  const name = String(column.name);
  button.title = `Sort by ${name}`;
  button.append(element("span", "lanes-ColumnName", name), element("span", `lanes-Badge lanes-Badge-${badgeText(column.type)}`, badgeText(column.type)));
  button.addEventListener("click", onSort);
  th.append(button);
  return th;
}
