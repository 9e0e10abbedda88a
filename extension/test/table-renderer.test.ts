// @vitest-environment happy-dom
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { TABLE_MIME } from "lanes/dist/wire/mime";
import { describe, expect, it } from "vitest";
import { PAGE_SIZE, TableRenderer, tableRendererFactory } from "../src/table";
import { XSS, mimeModel, tablePayload } from "./fixtures";

const options = { mimeType: TABLE_MIME } as unknown as IRenderMime.IRendererOptions;
const model = (payload: unknown) => mimeModel(TABLE_MIME, payload) as unknown as IRenderMime.IMimeModel;

async function rendered(payload: unknown): Promise<TableRenderer> {
  const renderer = new TableRenderer(options);
  await renderer.renderModel(model(payload));
  return renderer;
}

const texts = (root: Element, selector: string) => [...root.querySelectorAll(selector)].map((e) => e.textContent);
const column = (root: Element, c: number) => texts(root, `tbody tr td:nth-child(${c + 2})`);

describe("TableRenderer", () => {
  it("is a safe renderer for the table MIME type", () => {
    expect(tableRendererFactory.safe).toBe(true);
    expect(tableRendererFactory.mimeTypes).toEqual([TABLE_MIME]);
  });

  it("shows names with type badges, summaries, rows and the total row count", async () => {
    const r = await rendered(tablePayload({ totalRows: 1000 }));
    expect(r.node.querySelector(".lanes-Summary")!.textContent).toBe("1,000 rows × 2 columns · the first 4 are in this notebook");
    expect(texts(r.node, ".lanes-ColumnName")).toEqual(["n", "s"]);
    expect(texts(r.node, ".lanes-Badge")).toEqual(["num", "str"]);
    expect(r.node.querySelectorAll(".lanes-Histogram rect").length).toBe(2);
    expect(texts(r.node, ".lanes-Range")).toEqual(["1 … 10", "a … d"]);
    expect(texts(r.node, ".lanes-Counts")).toEqual(["3 distinct · 1 null", "4 distinct"]);
    expect(column(r.node, 0)).toEqual(["10", "null", "1", "2"]);
  });

  it("sorts by a column on click: ascending, descending, then payload order; nulls last", async () => {
    const r = await rendered(tablePayload());
    const header = r.node.querySelectorAll<HTMLElement>(".lanes-ColumnHeader")[0]!;
    const click = () => header.querySelector("button")!.click();
    click();
    expect(header.getAttribute("aria-sort")).toBe("ascending");
    expect(column(r.node, 0)).toEqual(["1", "2", "10", "null"]);
    click();
    expect(header.getAttribute("aria-sort")).toBe("descending");
    expect(column(r.node, 0)).toEqual(["10", "2", "1", "null"]);
    click();
    expect(header.getAttribute("aria-sort")).toBe("none");
    expect(column(r.node, 0)).toEqual(["10", "null", "1", "2"]);
  });

  it("sorts text columns as text", async () => {
    const r = await rendered(tablePayload());
    r.node.querySelectorAll<HTMLElement>(".lanes-SortButton")[1]!.click();
    expect(column(r.node, 1)).toEqual(["a", "b", "c", "d"]);
  });

  it("pages through many rows, keeping only one page in the DOM", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [i, `r${i}`]);
    const r = await rendered(tablePayload({ rows, totalRows: 120 }));
    expect(r.node.querySelectorAll("tbody tr").length).toBe(PAGE_SIZE);
    const next = r.node.querySelector<HTMLButtonElement>(".lanes-PagerNext")!;
    next.click();
    next.click();
    expect(column(r.node, 0)).toEqual(rows.slice(100).map((row) => String(row[0])));
    expect(r.node.querySelector(".lanes-PagerLabel")!.textContent).toBe("rows 101–120 of 120 · page 3 of 3");
    expect(next.disabled).toBe(true);
  });

  it("handles 10^4 rows × 50 columns by drawing one page", async () => {
    const columns = Array.from({ length: 50 }, (_, c) => ({ name: `c${c}`, type: "number" as const }));
    const rows = Array.from({ length: 10_000 }, (_, i) => columns.map((_, c) => (i * 7919 + c) % 10_007));
    const r = await rendered(tablePayload({ columns, rows, totalRows: 10_000 }));
    expect(r.node.querySelectorAll("tbody td").length).toBe(PAGE_SIZE * 51);
    r.node.querySelectorAll<HTMLElement>(".lanes-SortButton")[3]!.click();
    const sorted = column(r.node, 3).map(Number);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  });

  it("shows hostile strings as text wherever they appear", async () => {
    const r = await rendered(
      tablePayload({
        columns: [{ name: XSS, type: XSS as "string", summary: { nulls: 0, min: XSS, max: XSS } }],
        rows: [[XSS]],
        totalRows: 1,
      }),
    );
    expect(texts(r.node, ".lanes-ColumnName")).toEqual([XSS]);
    expect(texts(r.node, ".lanes-Badge")).toEqual(["?"]);
    expect(texts(r.node, ".lanes-Range")).toEqual([`${XSS} … ${XSS}`]);
    expect(column(r.node, 0)).toEqual([XSS]);
    expect(r.node.querySelector("img, b")).toBeNull();
  });

  it("says so when the payload is not a table", async () => {
    const r = await rendered("not json");
    expect(r.node.textContent).toContain("unsupported payload");
  });
});
