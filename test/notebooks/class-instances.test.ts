import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cellTexts, describeFailure, executeNotebook } from "./execute-notebook";

describe("class instances in the real tslab kernel", () => {
  it("a notebook class's and a module class's instances cross as items, arguments, initargs and results with their class", async () => {
    const run = await executeNotebook(join(__dirname, "fixtures", "class-instances.ipynb"));
    if (!run.ok) expect.fail(describeFailure(run));
    const texts = cellTexts(run.executedPath);
    expect(texts[2]).toContain("norm [2]");
    expect(texts[3]).toContain("back true 6,15");
    expect(texts[4]).toContain("star 8 apply 8");
    expect(texts[5]).toContain("vec true 5.000");
    expect(texts[6]).toContain("init 6");
    expect(texts[7]).toContain("refused NotShippableError true");
  });
});
