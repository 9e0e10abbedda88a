import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import { formatCount } from "lanes/dist/wire/format";
import { TABLE_MIME, type CellV1, type TablePayloadV1 } from "lanes/dist/wire/mime";
import { element } from "./dom";
import { readPayload } from "./payload";
import { headerCell, summaryCell } from "./table-header";
import { asTable } from "./table-payload";
import { formatCell } from "./table-cell";
import { nextSort, sortedOrder, type SortState } from "./table-sort";

/** Rows per page: 50 rows × 50 columns is 2,500 cells, cheap to build on every page turn. */
export const PAGE_SIZE = 50;

/**
 * Renders `application/vnd.lanes.table.v1+json`: column names with type badges and per-column
 * summaries, the rows in pages, sortable by clicking a column name. Only the current page is in
 * the DOM, so 10^4 rows × 50 columns stay responsive.
 */
export class TableRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly mimeType: string;
  private readonly caption = element("div", "lanes-Summary");
  private readonly scroller = element("div", "lanes-TableScroll");
  private readonly grid = element("table", "lanes-Grid");
  private readonly head = element("thead", "lanes-Head");
  private readonly body = element("tbody", "lanes-Body");
  private readonly pager = element("div", "lanes-Pager");
  private readonly previous = element("button", "lanes-PagerButton lanes-PagerPrevious", "‹ previous");
  private readonly next = element("button", "lanes-PagerButton lanes-PagerNext", "next ›");
  private readonly pageLabel = element("span", "lanes-PagerLabel");
  private payload: TablePayloadV1 | undefined;
  private order: number[] = [];
  private sort: SortState | undefined;
  private page = 0;
  private headers: HTMLTableCellElement[] = [];

  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this.mimeType = options.mimeType;
    this.addClass("lanes-Table");
    this.node.dataset.lanesMime = options.mimeType;
    this.previous.type = this.next.type = "button";
    this.previous.addEventListener("click", () => this.turn(-1));
    this.next.addEventListener("click", () => this.turn(1));
    this.pager.append(this.previous, this.pageLabel, this.next);
    this.grid.append(this.head, this.body);
    this.scroller.append(this.grid);
    this.node.append(this.caption, this.scroller, this.pager);
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const payload = asTable(readPayload(model.data[this.mimeType]));
    if (!payload) {
      this.payload = undefined;
      this.caption.textContent = "Lanes table: unsupported payload";
      this.head.replaceChildren();
      this.body.replaceChildren();
      this.pager.hidden = true;
      return Promise.resolve();
    }
    // An update of the same table (same column names) keeps the reader's sort and page.
    const same = this.payload !== undefined && sameColumns(this.payload, payload);
    this.payload = payload;
    if (!same) {
      this.sort = undefined;
      this.page = 0;
    }
    this.caption.textContent = captionText(payload);
    this.buildHead(payload);
    this.reorder(payload);
    this.renderPage();
    return Promise.resolve();
  }

  private buildHead(p: TablePayloadV1): void {
    const names = element("tr", "lanes-HeadRow");
    const summaries = element("tr", "lanes-SummaryRow");
    names.append(element("th", "lanes-RowNumber", "#"));
    summaries.append(element("td", "lanes-RowNumber"));
    this.headers = p.columns.map((column, i) => headerCell(column, () => this.sortBy(i)));
    names.append(...this.headers);
    summaries.append(...p.columns.map((column) => summaryCell(column)));
    this.head.replaceChildren(names, summaries);
    this.showSort();
  }

  private sortBy(column: number): void {
    const p = this.payload;
    if (!p) return;
    this.sort = nextSort(this.sort, column);
    this.reorder(p);
    this.page = 0;
    this.showSort();
    this.renderPage();
  }

  /** Row order for the current sort; the sorted column's type decides how its cells compare. */
  private reorder(p: TablePayloadV1): void {
    this.order = sortedOrder(p.rows, p.columns[this.sort?.column ?? 0]?.type ?? "other", this.sort);
  }

  private showSort(): void {
    this.headers.forEach((th, i) => th.setAttribute("aria-sort", this.sort?.column === i ? this.sort.direction : "none"));
  }

  private turn(delta: number): void {
    this.page = Math.min(Math.max(this.page + delta, 0), this.pages() - 1);
    this.renderPage();
  }

  private pages(): number {
    return Math.max(1, Math.ceil(this.order.length / PAGE_SIZE));
  }

  private renderPage(): void {
    const p = this.payload;
    if (!p) return;
    this.page = Math.min(this.page, this.pages() - 1);
    const from = this.page * PAGE_SIZE;
    const to = Math.min(from + PAGE_SIZE, this.order.length);
    const rows: HTMLTableRowElement[] = [];
    for (let k = from; k < to; k++) {
      const index = this.order[k]!;
      rows.push(rowElement(index, p.rows[index] ?? [], p.columns.length));
    }
    this.body.replaceChildren(...rows);
    // A new page or order starts at its top row, not wherever the last one was scrolled to.
    this.scroller.scrollTop = 0;
    this.pager.hidden = this.pages() <= 1;
    this.previous.disabled = this.page === 0;
    this.next.disabled = this.page >= this.pages() - 1;
    this.pageLabel.textContent =
      this.order.length === 0 ? "no rows" : `rows ${formatCount(from + 1)}–${formatCount(to)} of ${formatCount(this.order.length)} · page ${this.page + 1} of ${this.pages()}`;
  }
}

function rowElement(index: number, row: readonly CellV1[], columns: number): HTMLTableRowElement {
  const tr = document.createElement("tr");
  tr.append(element("td", "lanes-RowNumber", String(index + 1)));
  for (let c = 0; c < columns; c++) {
    const cell = formatCell(row[c]);
    tr.append(element("td", cell.className, cell.text));
  }
  return tr;
}

function sameColumns(a: TablePayloadV1, b: TablePayloadV1): boolean {
  return a.columns.length === b.columns.length && a.columns.every((c, i) => c.name === b.columns[i]?.name);
}

/** `50,000 rows × 3 columns · the first 200 are in this notebook` */
export function captionText(p: TablePayloadV1): string {
  const total = typeof p.totalRows === "number" ? p.totalRows : p.rows.length;
  const shape = `${formatCount(total)} row${total === 1 ? "" : "s"} × ${formatCount(p.columns.length)} column${p.columns.length === 1 ? "" : "s"}`;
  return p.rows.length < total ? `${shape} · the first ${formatCount(p.rows.length)} are in this notebook` : shape;
}

export const tableRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TABLE_MIME],
  createRenderer: (options) => new TableRenderer(options),
};

export const tableExtension: IRenderMime.IExtension = {
  id: "lanes-jupyterlab:table",
  description: "Renders Lanes dataframe tables.",
  rendererFactory: tableRendererFactory,
  // Rank 0 wins over the text/html and text/plain fallbacks sent in the same bundle.
  rank: 0,
  dataType: "json",
};
