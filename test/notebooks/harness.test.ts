import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeFailure, executeNotebook } from "./execute-notebook";

// The harness must be able to fail: feed it notebooks that break and expect it to say where.
describe("notebook harness", () => {
  it("reports a runtime error with the failing cell", async () => {
    const run = await executeNotebook(join(__dirname, "fixtures", "runtime-error.ipynb"));
    expect(run.ok).toBe(false);
    expect(run.failingCell).toBe(1);
    expect(describeFailure(run)).toContain("boom from cell two");
  });

  it("reports a type error as a failure", async () => {
    const run = await executeNotebook(join(__dirname, "fixtures", "type-error.ipynb"));
    expect(run.ok).toBe(false);
    expect(run.failingCell).toBe(0);
    expect(describeFailure(run)).toMatch(/not assignable to type 'number'/);
  });
});
