import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskDoneError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { JoinableQueue, Queue, RawArray } from "../../src/shared";
import { until } from "./threads";

// Four threads: consumers block their workers while producers run on the others. Task functions test
// an error's name, not `instanceof Empty`: this file's imports are vitest's modules, which cannot be
// shipped (a notebook's `mp.Empty` can).
let pool: Pool;
beforeAll(() => {
  pool = new Pool(4);
});
afterAll(() => pool.terminate());

describe("Queue between workers and the kernel", () => {
  it("the study note's exercise: workers take tasks with getNowait until Empty and put what they did", async () => {
    const tasksToAccomplish = new Queue<string>();
    const tasksThatAreDone = new Queue<string>();
    for (let i = 0; i < 10; i++) await tasksToAccomplish.put(`Task no ${i}`);
    const worker = (name: string): number => {
      let done = 0;
      for (;;) {
        let task: string;
        try {
          task = tasksToAccomplish.getNowait();
        } catch (e) {
          if ((e as Error).name === "Empty") break;
          throw e;
        }
        tasksThatAreDone.putSync(`${task} is done by ${name}`);
        done++;
      }
      return done;
    };
    const counts = await pool.map(worker, ["Process-1", "Process-2", "Process-3", "Process-4"], 1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
    const done: string[] = [];
    while (!tasksThatAreDone.empty()) done.push(await tasksThatAreDone.get());
    expect(done.map((d) => d.replace(/ is done by Process-\d$/, "")).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Task no ${i}`).sort());
  });

  it("a worker blocked in getSync wakes on the kernel's put; a worker's put wakes the kernel's await get", async () => {
    const toWorker = new Queue<number>();
    const toKernel = new Queue<number>();
    const started = RawArray("i", 1);
    const echo = pool.apply(() => {
      Atomics.store(started, 0, 1);
      Atomics.notify(started, 0);
      const x = toWorker.getSync();
      toKernel.putSync(x * 2);
      return x;
    });
    const reply = toKernel.get();
    await until(started, 0, 1);
    await toWorker.put(21);
    expect(await reply).toBe(42);
    expect(await echo).toBe(21);
  });

  it("a queue given as an apply argument or in initargs is the same queue in the worker", async () => {
    const q = new Queue<string>();
    await pool.apply((queue: Queue<string>) => queue.putSync("by argument"), [q]);
    expect(await q.get()).toBe("by argument");
    const withInit = new Pool({
      processes: 1,
      initializer: (queue: Queue<string>) => queue.putSync("from the initializer"),
      initargs: [q],
    });
    try {
      await withInit.apply(() => 1);
      expect(await q.get()).toBe("from the initializer");
    } finally {
      await withInit.terminate();
    }
  });

  it("a queue captured by a task is the same queue in the worker", async () => {
    const q = new Queue<string>();
    await pool.apply(() => {
      q.putSync("from a worker");
    });
    expect(await q.get()).toBe("from a worker");
  });

  it("producers and consumers: every tagged item exactly once, each producer's order kept", async () => {
    const q = new Queue<[number, number]>({ maxsize: 256, bytes: 4096 });
    const producers = 2;
    const perProducer = 50_000;
    const consume = () => {
      const seen: [number, number][] = [];
      for (const item of q) seen.push(item);
      return seen;
    };
    const consumers = [pool.apply(consume), pool.apply(consume)];
    const produce = (p: number, n: number) => {
      for (let i = 0; i < n; i++) q.putSync([p, i]);
      return n;
    };
    await Promise.all(Array.from({ length: producers }, (_, p) => pool.apply(produce, [p, perProducer])));
    q.close();
    const all = await Promise.all(consumers);
    const counts = new Map<string, number>();
    for (const seen of all) {
      const last = new Map<number, number>();
      for (const [p, i] of seen) {
        // One consumer sees each producer's items in the order they were put.
        expect(i).toBeGreaterThan(last.get(p) ?? -1);
        last.set(p, i);
        counts.set(`${p}:${i}`, (counts.get(`${p}:${i}`) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(producers * perProducer);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it("JoinableQueue: the kernel's join returns once workers marked every item done", async () => {
    const q = new JoinableQueue<number>();
    for (let i = 0; i < 20; i++) await q.put(i);
    const sums = pool.map(() => {
      let sum = 0;
      for (;;) {
        try {
          sum += q.getNowait();
        } catch (e) {
          if ((e as Error).name === "Empty") return sum;
          throw e;
        }
        q.taskDone();
      }
    }, [1, 2], 1);
    expect(await q.join({ timeout: 60_000 })).toBe(true);
    expect((await sums).reduce((a, b) => a + b, 0)).toBe(190);
    await expect(pool.apply(() => q.taskDone())).rejects.toMatchObject({ remoteName: TaskDoneError.name });
  });
});
