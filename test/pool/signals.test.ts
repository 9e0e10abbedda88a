import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CHILD = join(__dirname, "fixtures", "signals-child.js");

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the child script in `mode`; sends `signal` once it prints "ready". */
function run(mode: string, signal?: NodeJS.Signals): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sent = false;
    // A deadline, not a wait: the long items never end by themselves, so a child the signal did
    // not stop is killed here, and the test sees SIGKILL.
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      // "ready": both workers run a long item (the child waits for that through Atomics).
      if (signal !== undefined && !sent && stdout.includes("ready")) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

describe("interrupt and shutdown in a child Node process", () => {
  it("SIGINT during a call rejects it with KeyboardInterrupt, and the pool keeps working", async () => {
    const ended = await run("busy", "SIGINT");
    expect(ended.stderr).toBe("");
    expect(ended.stdout).toMatch(/rejected KeyboardInterrupt: Interrupted \(SIGINT\)/);
    expect(ended.stdout).toMatch(/again 3,6,9 on 2 workers/);
    // The items that never end were stopped, not waited for.
    expect(ended).toMatchObject({ code: 0, signal: null });
  });

  it("SIGINT still reaches the pool when the call began inside vm's breakOnSigint (a tslab cell)", async () => {
    const ended = await run("vm", "SIGINT");
    expect(ended.stderr).toBe("");
    expect(ended.stdout).toMatch(/host listener/);
    expect(ended.stdout).toMatch(/rejected KeyboardInterrupt: Interrupted \(SIGINT\)/);
    expect(ended.stdout).toMatch(/again 3,6,9 on 2 workers/);
    expect(ended).toMatchObject({ code: 0, signal: null });
  });

  it("SIGINT with no call running keeps Node's default: the script dies", async () => {
    const ended = await run("idle", "SIGINT");
    expect(ended.stdout).toMatch(/ready \(0 SIGINT listeners\)/);
    expect(ended.signal).toBe("SIGINT");
  });

  it("SIGTERM during a call terminates the pools and the process ends", async () => {
    const ended = await run("term", "SIGTERM");
    expect(ended.signal).toBe("SIGTERM");
    expect(ended.stdout).not.toMatch(/finished/);
  });

  it("a script that never terminates its pool still exits by itself", async () => {
    const ended = await run("forget");
    expect(ended.stdout).toMatch(/done 2,4/);
    expect(ended).toMatchObject({ code: 0, signal: null });
  });
});
