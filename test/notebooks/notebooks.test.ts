import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cellTexts, describeFailure, executeNotebook } from "./execute-notebook";

const notebooksDir = resolve(__dirname, "..", "..", "notebooks");
const notebooks = readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort();

/** What some lessons must visibly print (beyond running without error). */
const mustShow: Record<string, RegExp[]> = {
  "00-hello.ipynb": [/lets us use \d+ cores/, /17984 primes below 200000/],
  // The slow first chunk is shared out: its items run on both workers.
  "03-seeing-the-work.ipynb": [/the first chunk ran as \d+ batches on 2 workers/],
  // The study note's exercise, and the race a lock prevents (the unlocked count is measured, never asserted).
  "04-processes-queues-locks.ipynb": [
    /hello from a Process/,
    /greeter exited with code 0/,
    /Task no 9 is done by Process-\d/,
    /10 tasks done; exit codes 0, 0, 0, 0/,
    /without the lock: \d+ of 800000 increments/,
    /with the lock: 800000 of 800000 increments \(0 lost\)/,
  ],
};

describe("every notebook runs top to bottom in the real tslab kernel", () => {
  it("finds the lessons", () => {
    expect(notebooks).toContain("00-hello.ipynb");
  });

  for (const name of notebooks) {
    it(name, async () => {
      const run = await executeNotebook(join(notebooksDir, name));
      if (!run.ok) expect.fail(`${name}: ${describeFailure(run)}`);
      expect(run.cells).toBeGreaterThan(0);
      const printed = cellTexts(run.executedPath).join("\n");
      for (const pattern of mustShow[name] ?? []) expect(printed).toMatch(pattern);
    });
  }
});
