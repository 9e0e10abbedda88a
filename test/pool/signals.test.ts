import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runChild, type Ended } from "../helpers/signal-child";

const CHILD = join(__dirname, "fixtures", "signals-child.js");

/** The child script in `mode`, sent `signal` once it prints "ready". */
const run = (mode: string, signal?: NodeJS.Signals): Promise<Ended> => runChild(CHILD, mode, signal, 20_000);

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

  it("SIGINT right after a call ended is not swallowed: the code after the await dies as Node's default", async () => {
    const ended = await run("after", "SIGINT");
    // The listener was gone before the continuation ran; before the fix it lingered a microtask and
    // caught the signal, and the loop ran on until the test's deadline killed it (SIGKILL).
    expect(ended.stdout).toMatch(/ready \(0 SIGINT listeners\)/);
    expect(ended.signal).toBe("SIGINT");
  });

  it("SIGINT keeps the results the call had finished on its KeyboardInterrupt; the next call runs at once", async () => {
    const ended = await run("partial", "SIGINT");
    expect(ended.stderr).toBe("");
    const seen = /partial KeyboardInterrupt length 4 finished (\[[\d,]*\]) values (\[[\d,]*\])/.exec(ended.stdout);
    expect(seen, ended.stdout).not.toBeNull();
    const finished = JSON.parse(seen![1]!) as number[];
    const values = JSON.parse(seen![2]!) as number[];
    // At least the quick item whose answer let the hanging ones be sent; never a hanging one (holes there).
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.every((i) => i < 2)).toBe(true);
    expect(values).toEqual(finished.map((i) => i * 10));
    expect(ended.stdout).toMatch(/again 3,6,9 on 2 workers/);
    expect(ended).toMatchObject({ code: 0, signal: null });
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
