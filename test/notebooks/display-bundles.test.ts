import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeFailure, executeNotebook, type NotebookOutput } from "./execute-notebook";

const TIMELINE_MIME = "application/vnd.lanes.timeline.v1+json";
const TABLE_MIME = "application/vnd.lanes.table.v1+json";
// The former lesson "Seeing the work" (its content now lives in lessons 00, 04 and 08), kept as a fixture
// because it shows every kind of display in one notebook.
const notebook = join(__dirname, "fixtures", "seeing-the-work.ipynb");

describe("03-seeing-the-work: every Lanes display is a full MIME bundle in the saved notebook", () => {
  it("carries the Lanes JSON, static HTML without script, and plain text for each display", async () => {
    const run = await executeNotebook(notebook);
    if (!run.ok) expect.fail(describeFailure(run));
    const nb = JSON.parse(readFileSync(run.executedPath, "utf8")) as { cells: { cell_type: string; outputs?: NotebookOutput[] }[] };
    const displays = nb.cells.flatMap((c, cell) => (c.outputs ?? []).filter((o) => o.output_type === "display_data" || o.output_type === "execute_result").map((o) => ({ cell, o })));
    const kinds = displays.map(({ o }) => (o.data?.[TIMELINE_MIME] ? "timeline" : o.data?.[TABLE_MIME] ? "table" : "other"));
    // Two tables, the timeline, uneven work shared out, the live display (replaced in place by its final
    // timeline), the all-calls timeline.
    expect(kinds).toEqual(["table", "table", "timeline", "timeline", "timeline", "timeline"]);
    for (const { cell, o } of displays) {
      const data = o.data ?? {};
      const lanesMime = data[TIMELINE_MIME] ? TIMELINE_MIME : TABLE_MIME;
      expect(Object.keys(data).sort(), `cell ${cell}`).toEqual([lanesMime, "text/html", "text/plain"].sort());
      const html = Array.isArray(data["text/html"]) ? (data["text/html"] as string[]).join("") : String(data["text/html"]);
      expect(html, `cell ${cell}`).not.toMatch(/<script/i);
      expect(String(data["text/plain"]).length, `cell ${cell}`).toBeGreaterThan(0);
    }
    // The live display ended as the final, static timeline.
    const liveCell = displays[3]!.o.data![TIMELINE_MIME] as { live: boolean; done: number; total: number };
    expect(liveCell).toMatchObject({ live: false, done: 400, total: 400 });
    // The saved notebook stays small (the table payload is capped).
    expect(readFileSync(run.executedPath).length).toBeLessThan(2_000_000);
  });
});
