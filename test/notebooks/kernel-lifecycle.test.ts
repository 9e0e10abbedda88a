import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");
type Step = [status: string, stdout: string, stderr: string, error: string | null];

interface Seen {
  before: number;
  afterFirst: number;
  afterTenth: number;
  settled: number;
  runs: Step[];
  keptRerun: Step;
  kept: Step;
  busy: Step;
  busyThreads: number;
  shutdownSeconds: number | null;
  shutdownCode: number | null;
  orphans: number[];
  restartStarted: boolean;
  restartSeconds: number | null;
  restartCode: number | null;
  restartOrphans: number[];
  afterRestart: Step;
}

function drive(): Promise<Seen> {
  return new Promise((resolvePromise, reject) => {
    execFile(join(root, ".venv", "bin", "python"), [join(__dirname, "kernel_lifecycle.py"), join(root, "notebooks")], { cwd: root, timeout: 280_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        resolvePromise(JSON.parse(line) as Seen);
      } catch {
        reject(new Error(`kernel_lifecycle.py gave no result: ${err?.message ?? ""}\n${stderr}`));
      }
    });
  });
}

describe("Pools across re-runs, shutdown and restart of the real tslab kernel", () => {
  it("ten re-runs of a Pool cell keep the thread count bounded; shutdown and restart with work running end the kernel by itself, leaving nothing behind", async () => {
    const seen = await drive();

    // Re-runs: each closes the Pool the name held before (one notice each), so the threads come back to one pool's worth.
    expect(seen.runs.map((r) => r[1])).toEqual(Array(10).fill("sum 20\n"));
    expect(seen.runs[0]![2]).toBe("");
    for (const run of seen.runs.slice(1)) expect(run[2]).toMatch(/^lanes: closed the Pool that `p` held \(2 workers\)/);
    // The first pool added its 2 workers; after ten runs (and the closed pools' workers exiting) no more than that.
    expect(seen.afterFirst).toBeGreaterThanOrEqual(seen.before + 2);
    expect(seen.settled).toBeLessThanOrEqual(seen.afterFirst);
    // A pool still held under another name is not closed.
    expect(seen.keptRerun[2]).toBe("");
    expect(seen.kept[1]).toBe("kept 2\n");

    // Shutdown with two busy pools and two endless Processes: the kernel exited by itself (code 0, not
    // Jupyter's SIGTERM or SIGKILL: the driver sends neither) — within 2 s by design, asserted generously here.
    expect(seen.busy[1]).toBe("busy true,true 5\n");
    expect(seen.busyThreads).toBeGreaterThan(seen.settled);
    expect(seen.shutdownCode).toBe(0);
    expect(seen.shutdownSeconds).not.toBeNull();
    expect(seen.shutdownSeconds!).toBeLessThan(30);
    expect(seen.orphans).toEqual([]);

    // Restart while a cell awaits endless work: the old kernel exited by itself, and the new one works.
    expect(seen.restartStarted).toBe(true);
    expect(seen.restartCode).toBe(0);
    expect(seen.restartSeconds).not.toBeNull();
    expect(seen.restartSeconds!).toBeLessThan(30);
    expect(seen.restartOrphans).toEqual([]);
    expect(seen.afterRestart[1]).toBe("again 7\n");
  });
});
