import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");
type Step = [status: string, stdout: string, stderr: string, error: string | null];

function drive(): Promise<Record<string, Step | number>> {
  return new Promise((resolvePromise, reject) => {
    execFile(join(root, ".venv", "bin", "python"), [join(__dirname, "interrupt_processes.py"), join(root, "notebooks")], { cwd: root, timeout: 240_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        resolvePromise(JSON.parse(line) as Record<string, Step | number>);
      } catch {
        reject(new Error(`interrupt_processes.py gave no result: ${err?.message ?? ""}\n${stderr}`));
      }
    });
  });
}

describe("Processes in the real tslab kernel: interrupt and shutdown", () => {
  it("an interrupt terminates the running Processes (exit code -2) and the kernel stays usable; a shutdown ends the kernel", async () => {
    const seen = await drive();
    expect((seen.setup as Step)[1]).toContain("running true,true");
    // The interrupted cell ended (tslab rejects it, or the joins resolved first): either way it is not left hanging.
    expect(["ok", "error"]).toContain((seen.joined as Step)[0]);
    expect((seen.after as Step)[1]).toContain("exit -2,-2 alive false,false");
    expect((seen.again as Step)[1]).toContain("again 0");
    expect((seen.blocked as Step)[1]).toContain("blocked true");
    // The kernel ended by itself (0) or on Jupyter's SIGTERM (-15; Lanes terminates the threads), never
    // left for Jupyter to SIGKILL (-9) after its wait; a process that ends takes every thread with it.
    expect([0, -15]).toContain(seen.returncode);
  });
});
