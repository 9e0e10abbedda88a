import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runChild, type Ended } from "../helpers/signal-child";

const CHILD = join(__dirname, "fixtures", "signals-child.js");

/** The child script in `mode`, sent `signal` once it prints "ready". */
const run = (mode: string, signal?: NodeJS.Signals): Promise<Ended> => runChild(CHILD, mode, signal, 30_000);

describe("Processes on interrupt and shutdown, in a child Node process", () => {
  it("SIGINT ends the running Processes (exit code -2); the script goes on and exits by itself", async () => {
    const ended = await run("int", "SIGINT");
    expect(ended.stderr).toBe("");
    expect(ended.stdout).toMatch(/joined -2,-2 alive false,false/);
    expect(ended.stdout).toMatch(/again 7\n[\s\S]*again exit 0/);
    expect(ended).toMatchObject({ code: 0, signal: null });
  });

  it("SIGINT still reaches them when they started inside vm's breakOnSigint (a tslab cell)", async () => {
    const ended = await run("vm", "SIGINT");
    expect(ended.stderr).toBe("");
    expect(ended.stdout).toMatch(/host listener/);
    expect(ended.stdout).toMatch(/joined -2,-2 alive false,false/);
    expect(ended).toMatchObject({ code: 0, signal: null });
  });

  it("SIGTERM (a kernel shutdown) terminates them and the process ends", async () => {
    const ended = await run("term", "SIGTERM");
    expect(ended.signal).toBe("SIGTERM");
    expect(ended.stdout).not.toMatch(/joined/);
  });

  it("a non-daemon Process is waited for, as in Python; a daemon one is not", async () => {
    const ended = await run("wait");
    expect(ended.stdout).toMatch(/script done\n[\s\S]*target done/);
    expect(ended).toMatchObject({ code: 0, signal: null, stderr: "" });
  });

  it("SIGINT with no Process running keeps Node's default: the script dies", async () => {
    const ended = await run("idle", "SIGINT");
    expect(ended.signal).toBe("SIGINT");
  });
});
