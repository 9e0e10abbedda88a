import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");
type Step = [status: string, stdout: string, stderr: string, error: string | null];

function drive(): Promise<Record<string, Step | number>> {
  return new Promise((resolvePromise, reject) => {
    execFile(join(root, ".venv", "bin", "python"), [join(__dirname, "interrupt_pool.py"), join(root, "notebooks")], { cwd: root, timeout: 240_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        resolvePromise(JSON.parse(line) as Record<string, Step | number>);
      } catch {
        reject(new Error(`interrupt_pool.py gave no result: ${err?.message ?? ""}\n${stderr}`));
      }
    });
  });
}

// Issue 14 point 7, in the real tslab kernel: Jupyter's interrupt (SIGINT) during `await pool.map(…)`.
describe("a pool call in the real tslab kernel: interrupt", () => {
  it("cancels the call's running tasks, keeps its finished results on the KeyboardInterrupt, and the next cell runs", async () => {
    const seen = await drive();
    expect((seen.setup as Step)[1]).toContain("warm 2,3");
    // The interrupted cell ended with an error (tslab's own, or the KeyboardInterrupt): never left hanging.
    expect((seen.interrupted as Step)[0]).toBe("error");
    const after = (seen.after as Step)[1];
    const caught = /caught true KeyboardInterrupt length 4 finished (\[[\d,]*\]) values (\[[\d,]*\]) threads 2/.exec(after);
    expect(caught, after).not.toBeNull();
    const finished = JSON.parse(caught![1]!) as number[];
    // At least the quick item whose answer let the blocking ones be sent; holes where items were cancelled.
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.every((i) => i < 2)).toBe(true);
    expect(JSON.parse(caught![2]!)).toEqual(finished.map((i) => i * 10));
    // The blocked workers were ended and replaced: the next call runs (it would wait on them forever otherwise).
    expect((seen.again as Step)[1]).toContain("again 3,6,9");
    expect([0, -15]).toContain(seen.returncode);
  });
});
