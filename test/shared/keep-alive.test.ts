import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIST = join(__dirname, "..", "..", "dist", "shared", "index.js");

describe("a pending async wait on the kernel thread", () => {
  it("keeps the process alive until it settles (a bare Atomics.waitAsync would let Node exit with code 13)", () => {
    // Nothing but the wait is pending: without Lanes' keep-alive handle Node exits at once with code 13
    // and the promise never settles.
    const script = `
      const { Event } = require(${JSON.stringify(DIST)});
      const e = new Event();
      e.waitAsync({ timeout: 50 }).then((r) => { console.log("settled " + r); });
    `;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("settled false");
  });

  it("a bare Atomics.waitAsync lets Node exit before it settles (the trap the keep-alive avoids)", () => {
    const script = `
      const a = new Int32Array(new SharedArrayBuffer(4));
      Atomics.waitAsync(a, 0, 0, 50).value.then(() => console.log("settled"));
    `;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).not.toContain("settled");
  });
});
