import { describe, expect, it } from "vitest";
import { Process } from "../../src/process";
import { Lock, Queue, SharedValue, Value } from "../../src/shared";

describe("shared objects in a Process", () => {
  it("args and captures arrive as the same Value, Lock and Queue: the study note's exercise with 4 Processes", async () => {
    const tasksToAccomplish = new Queue<string>();
    const tasksThatAreDone = new Queue<string>();
    for (let i = 0; i < 10; i++) await tasksToAccomplish.put(`Task no ${i}`);
    const doJob = (name: string): void => {
      for (;;) {
        let task: string;
        try {
          task = tasksToAccomplish.getNowait();
        } catch (e) {
          // By name: this file's imports are vitest's modules, which a task cannot refer to.
          if ((e as Error).name === "Empty") break;
          throw e;
        }
        tasksThatAreDone.putSync(`${task} is done by ${name}`);
      }
    };
    const ps = [1, 2, 3, 4].map((i) => new Process({ target: doJob, args: [`Process-${i}`] }));
    ps.forEach((p) => p.start());
    expect(await Promise.all(ps.map((p) => p.join()))).toEqual([0, 0, 0, 0]);
    const done: string[] = [];
    while (!tasksThatAreDone.empty()) done.push(await tasksThatAreDone.get());
    expect(done.map((d) => d.replace(/ is done by Process-\d$/, "")).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Task no ${i}`).sort());
  });

  it("locked increments of one Value from 4 Processes give the exact total", async () => {
    const counter = Value("i", 0);
    const lock = new Lock();
    const add = (v: SharedValue<"i">, l: Lock, n: number): void => {
      for (let i = 0; i < n; i++) l.withLock(() => (v.value += 1));
    };
    const ps = [1, 2, 3, 4].map(() => new Process({ target: add, args: [counter, lock, 50_000] }));
    ps.forEach((p) => p.start());
    await Promise.all(ps.map((p) => p.join()));
    expect(ps.map((p) => p.exitCode)).toEqual([0, 0, 0, 0]);
    expect(counter.value).toBe(200_000);
  });
});
