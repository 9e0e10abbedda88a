import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Queue, toWire } from "../../src/shared";
import { NAP_SLACK_NS, preciseNaps } from "../../src/shared/timer-slack";
import { onKernelThread } from "../../src/shared/wait";
import { inWorker, type Body } from "./threads";

function slackHere(): number {
  const tid = readlinkSync("/proc/thread-self").split("/").pop() ?? "";
  return Number(readFileSync(`/proc/${tid}/timerslack_ns`, "utf8"));
}

describe.runIf(process.platform === "linux")("a waiting worker's naps (timer slack)", () => {
  it("a worker that waited on an empty queue has its own slack set, and the kernel thread keeps its own", async () => {
    const kernelBefore = slackHere();
    const q = new Queue<number>();
    // Bodies run in the worker from their source text: they read the slack file themselves.
    const body: Body = ([q]) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the body runs from its source text in the worker
      const fs = require("node:fs") as typeof import("node:fs");
      const file = `/proc/${fs.readlinkSync("/proc/thread-self").split("/").pop()}/timerslack_ns`;
      const slack = () => Number(fs.readFileSync(file, "utf8"));
      // Linux's default first, whatever this thread inherited: the wait must change it.
      fs.writeFileSync(file, "50000");
      const before = slack();
      let name = "";
      try {
        q.getSync({ timeout: 5 });
      } catch (e) {
        name = (e as Error).name;
      }
      return { before, name, after: slack() };
    };
    const { before, name, after } = (await inWorker(body, [toWire(q)]).done) as { before: number; name: string; after: number };
    expect(name).toBe("Empty");
    expect(before).toBe(50_000);
    expect(after).toBe(NAP_SLACK_NS);
    expect(slackHere()).toBe(kernelBefore);
  });

  it("preciseNaps sets the slack once and says whether the system took it", async () => {
    const body: Body = (_objs, dist: string) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the body runs from its source text in the worker
      const fs = require("node:fs") as typeof import("node:fs");
      const slack = () => Number(fs.readFileSync(`/proc/${fs.readlinkSync("/proc/thread-self").split("/").pop()}/timerslack_ns`, "utf8"));
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
      const naps = require(dist) as { preciseNaps: () => boolean };
      const first = naps.preciseNaps();
      const set = slack();
      return { first, set, again: naps.preciseNaps() };
    };
    const dist = join(__dirname, "..", "..", "dist", "shared", "timer-slack.js");
    const r = (await inWorker(body, [], dist).done) as { first: boolean; set: number; again: boolean };
    expect(r).toEqual({ first: true, set: NAP_SLACK_NS, again: true });
  });

  it.runIf(onKernelThread)("the kernel thread's slack is never changed", () => {
    const before = slackHere();
    expect(preciseNaps()).toBe(false);
    expect(slackHere()).toBe(before);
  });
});
