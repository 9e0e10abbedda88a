/**
 * The queue benchmarks: producers put `n` small items each on one queue, consumers take them all.
 * Lanes' Queue (workers of a Pool, blocking putSync / for-of) against the floor of postMessage (a
 * MessagePort per producer–consumer pair, no queue at all) and Python's multiprocessing.Queue.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { Pool, Queue } from "../../src";
import { defineCase, type BenchCase, type Context, type Runner, type SelfTimed } from "./case";
import { pythonPath, pythonSkip } from "./peers";

export type Payload = "int" | "tuple" | "record";

/** The item of index `i` (the same in bench/peers/port-worker.js and python_queue.py). */
export function item(payload: string, i: number): unknown {
  if (payload === "int") return i;
  if (payload === "tuple") return ["abc", i];
  return { id: i, name: "ada", value: 0.5, ok: true };
}

export interface QueuePlan {
  producers: number;
  consumers: number;
  /** Items per producer. */
  n: number;
  payload: Payload;
}

/** Sum of what the consumers took, the check every runner's result must pass. */
export function checkTaken(plan: QueuePlan, taken: unknown): void {
  if (taken !== plan.producers * plan.n) throw new Error(`consumers took ${String(taken)} items, expected ${plan.producers * plan.n}`);
}

export function queueRunners(ctx: Context, plan: QueuePlan): Runner[] {
  const { producers, consumers, n, payload } = plan;
  return [
    {
      name: "lanes Queue",
      peer: "lanes",
      async prepare() {
        const pool = new Pool(producers + consumers);
        await pool.map((x: number) => x, Array.from({ length: 4 * (producers + consumers) }, (_, i) => i), 1);
        return {
          async run() {
            const q = new Queue<unknown>();
            const consume = (): number => {
              let taken = 0;
              for (const _ of q) taken++;
              return taken;
            };
            const produce = (count: number, kind: string): number => {
              for (let i = 0; i < count; i++) q.putSync(item(kind, i));
              return count;
            };
            const taking = Array.from({ length: consumers }, () => pool.apply(consume, [], { context: { q } }));
            await Promise.all(Array.from({ length: producers }, () => pool.apply(produce, [n, payload], { context: { q, item } })));
            q.close();
            return (await Promise.all(taking)).reduce((a, b) => a + b, 0);
          },
          close: () => pool.terminate(),
        };
      },
    },
    {
      name: producers === 1 ? "MessagePort, one channel" : `MessagePort, ${producers} channels (one per pair)`,
      peer: "messageport",
      skip: producers === consumers ? undefined : "MessagePort is point to point: needs as many producers as consumers",
      async prepare() {
        const threads = Array.from({ length: producers + consumers }, () => new Worker(join(ctx.root, "bench", "peers", "port-worker.js")));
        const ask = (w: Worker, msg: unknown, transfer: readonly MessagePort[] = []) =>
          new Promise<number>((resolve, reject) => {
            w.once("message", resolve);
            w.once("error", reject);
            w.postMessage(msg, [...transfer]);
          });
        await Promise.all(threads.map((w) => ask(w, { kind: "ping" })));
        return {
          async run() {
            const channels = Array.from({ length: producers }, () => new MessageChannel());
            const taking = channels.map((c, k) => ask(threads[producers + k]!, { kind: "consume", port: c.port2, n, payload }, [c.port2]));
            await Promise.all(channels.map((c, k) => ask(threads[k]!, { kind: "produce", port: c.port1, n, payload }, [c.port1])));
            return (await Promise.all(taking)).reduce((a, b) => a + b, 0);
          },
          close: async () => {
            await Promise.all(threads.map((w) => w.terminate()));
          },
        };
      },
    },
    {
      name: "python multiprocessing.Queue",
      peer: "python",
      skip: pythonSkip(ctx),
      prepare: (): SelfTimed => ({
        measure: () =>
          new Promise<number>((resolve, reject) => {
            const exe = pythonPath(ctx.root)!;
            const script = join(ctx.root, "bench", "peers", "python_queue.py");
            execFile(exe, [script, String(producers), String(consumers), JSON.stringify({ n, payload })], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
              if (err) return reject(new Error(`python_queue.py failed: ${stderr || err.message}`));
              try {
                const { seconds, check } = JSON.parse(stdout.trim().split("\n").pop() ?? "") as { seconds: number; check: number };
                checkTaken(plan, check);
                resolve(seconds);
              } catch (e) {
                reject(e instanceof Error ? e : new Error(String(e)));
              }
            });
          }),
      }),
    },
  ];
}

/** One queue benchmark: `producers` → as many consumers, `n` items each (fewer with --quick). */
export function queueCase(title: string, order: number, shape: { producers: number; n: number; payload: Payload }): BenchCase {
  return defineCase({
    title,
    unit: "items",
    order,
    plan(ctx) {
      const q: QueuePlan = { producers: shape.producers, consumers: shape.producers, n: ctx.size(shape.n, 500), payload: shape.payload };
      const port = q.producers === 1 ? "MessagePort, one channel" : `MessagePort, ${q.producers} channels (one per pair)`;
      return {
        items: q.producers * q.n,
        subject: "lanes Queue",
        notes: [
          "Every runner's clock runs from the first put to the last item taken; threads and processes are started before it.",
          "The MessagePort peer is no queue: one channel per producer–consumer pair, unbounded, the floor of postMessage between threads.",
        ],
        targets: [
          { text: "≥ 10× the items/s of Python's multiprocessing.Queue", against: "python multiprocessing.Queue", atLeast: 10 },
          { text: "≥ 2× the items/s of MessagePort postMessage", against: port, atLeast: 2 },
        ],
        check: (taken) => checkTaken(q, taken),
        runners: queueRunners(ctx, q),
      };
    },
  });
}
