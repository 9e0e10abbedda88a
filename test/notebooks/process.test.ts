import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeFailure, executeNotebook, type NotebookOutput } from "./execute-notebook";

const TIMELINE_MIME = "application/vnd.lanes.timeline.v1+json";
const text = (o: NotebookOutput): string => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""));

describe("Processes in the real tslab kernel", () => {
  it("run notebook functions that use an earlier cell's constant, print a failure to its cell, and draw a timeline", async () => {
    const run = await executeNotebook(join(__dirname, "fixtures", "processes.ipynb"));
    if (!run.ok) expect.fail(describeFailure(run));
    const nb = JSON.parse(readFileSync(run.executedPath, "utf8")) as { cells: { outputs?: NotebookOutput[] }[] };
    const outputs = (cell: number) => nb.cells[cell]?.outputs ?? [];
    const stream = (cell: number, name: string) => outputs(cell).filter((o) => o.output_type === "stream" && o.name === name).map(text).join("");

    // `work` (cell 1) refers to `k` (cell 0): tslab compiles it to `exports.k`, shipped like a Pool's function.
    expect(stream(2, "stdout")).toContain("codes 0,0,0,0 out 0,3,6,9");
    // The uncaught error: exit code 1, printed to the cell that was running, kept on the Process.
    expect(stream(3, "stdout")).toContain("exit 1 RangeError");
    expect(stream(3, "stderr")).toMatch(/Process bad \(thread \d+\) failed:\n(.|\n)*RangeError: bad input 5/);

    const display = outputs(4).find((o) => o.output_type === "display_data");
    const payload = display?.data?.[TIMELINE_MIME] as { calls: string[]; workers: number; spans: { outcome: string; exitCodes?: number[] } } | undefined;
    expect(payload?.calls).toEqual(["Process-1", "Process-2", "Process-3", "Process-4", "bad"]);
    expect(payload?.workers).toBe(5);
    expect(payload?.spans.outcome).toBe("ooooe");
    expect(payload?.spans.exitCodes).toEqual([0, 0, 1, 0, 2, 0, 3, 0, 4, 1]);
    expect(String(display?.data?.["text/html"])).toContain("exit code 1");
  });
});
