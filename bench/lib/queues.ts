/**
 * The queue benchmarks: producers put `n` small items each on one queue, consumers take them all.
 * Lanes' Queue (workers of a Pool, blocking putSync / for-of) against the floor of postMessage (a
 * MessagePort per producer–consumer pair, no queue at all) and Python's multiprocessing.Queue. With
 * several producers, Lanes also runs in MessagePort's shape, one Queue per pair: what sharing one
 * queue costs, measured beside it.
 */
import { join } from "node:path";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { Pool, Queue } from "../../src";
import { defineCase, type BenchCase, type Context, type Runner, type SelfTimed } from "./case";
import { pythonSkip, runPythonPeer } from "./peers";

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

/** Resolves once `flag[0]` is at least `atLeast`, without blocking this thread. */
async function whenAtLeast(flag: Int32Array, atLeast: number): Promise<void> {
  const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<string> | string } }).waitAsync;
  for (let v = Atomics.load(flag, 0); v < atLeast; v = Atomics.load(flag, 0)) {
    const wait = waitAsync(flag, 0, v);
    if (wait.async) await wait.value;
  }
}

/** A shared Int32 word: a start signal, or a count of threads ready. */
const word = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));

function release(go: Int32Array): void {
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
}

/**
 * Each runner arms its next run off the clock (in `prepare`, then in `after`): the queue or channels
 * made and handed over, every producer and consumer started and waiting on a start word, as Python's
 * processes wait on an Event. The clock runs from the start signal to the last item taken.
 */
export function queueRunners(ctx: Context, plan: QueuePlan): Runner[] {
  const { producers, consumers, n, payload } = plan;
  /** Lanes' runner: `queues` Queues, producer and consumer k on queue k mod `queues`. */
  const lanesRunner = (name: string, queues: number): Runner => ({
    name,
    peer: "lanes",
    async prepare() {
      const pool = new Pool(producers + consumers);
      await pool.map((x: number) => x, Array.from({ length: 4 * (producers + consumers) }, (_, i) => i), 1);
      const arm = async () => {
        const qs = Array.from({ length: queues }, () => new Queue<unknown>());
        const go = word();
        const ready = word();
        const wait = (): void => {
          Atomics.add(ready, 0, 1);
          Atomics.notify(ready, 0);
          Atomics.wait(go, 0, 0);
        };
        const consume = (q: Queue<unknown>): number => {
          wait();
          let taken = 0;
          for (const _ of q) taken++;
          return taken;
        };
        const produce = (q: Queue<unknown>, count: number, kind: string): number => {
          wait();
          for (let i = 0; i < count; i++) q.putSync(item(kind, i));
          return count;
        };
        const taking = Array.from({ length: consumers }, (_, k) => pool.apply(consume, [qs[k % queues]!], { context: { go, ready, wait } }));
        const putting = Array.from({ length: producers }, (_, k) => pool.apply(produce, [qs[k % queues]!, n, payload], { context: { item, go, ready, wait } }));
        await whenAtLeast(ready, producers + consumers);
        return { qs, go, taking, putting };
      };
      let armed = await arm();
      return {
        async run() {
          const { qs, go, taking, putting } = armed;
          release(go);
          await Promise.all(putting);
          for (const q of qs) q.close();
          return (await Promise.all(taking)).reduce((a, b) => a + b, 0);
        },
        after: async () => {
          armed = await arm();
        },
        close: async () => {
          // The last armed run never starts: let it go through an already closed queue.
          for (const q of armed.qs) q.close();
          release(armed.go);
          await Promise.allSettled([...armed.putting, ...armed.taking]);
          await pool.terminate();
        },
      };
    },
  });
  return [
    lanesRunner("lanes Queue", 1),
    ...(producers > 1 && producers === consumers ? [lanesRunner(`lanes, ${producers} Queues (one per pair)`, producers)] : []),
    {
      name: producers === 1 ? "MessagePort, one channel" : `MessagePort, ${producers} channels (one per pair)`,
      peer: "messageport",
      skip: producers === consumers ? undefined : "MessagePort is point to point: needs as many producers as consumers",
      async prepare() {
        const threads = Array.from({ length: producers + consumers }, () => new Worker(join(ctx.root, "bench", "peers", "port-worker.js")));
        // Each answer's error listener goes with it: one left per call passed Node's limit of 10 per worker.
        const next = (w: Worker) =>
          new Promise<number>((resolve, reject) => {
            const onMessage = (m: number) => {
              w.off("error", onError);
              resolve(m);
            };
            const onError = (e: Error) => {
              w.off("message", onMessage);
              reject(e);
            };
            w.once("message", onMessage);
            w.once("error", onError);
          });
        const ask = (w: Worker, msg: unknown, transfer: readonly MessagePort[] = []) => {
          const answer = next(w);
          w.postMessage(msg, [...transfer]);
          return answer;
        };
        await Promise.all(threads.map((w) => ask(w, { kind: "ping" })));
        const arm = async () => {
          const go = word();
          const channels = Array.from({ length: producers }, () => new MessageChannel());
          // Each thread answers once when armed, then once with its count.
          const armedConsumers = channels.map((c, k) => ask(threads[producers + k]!, { kind: "consume", port: c.port2, n, payload }, [c.port2]));
          await Promise.all(armedConsumers);
          const taking = channels.map((_, k) => next(threads[producers + k]!));
          await Promise.all(channels.map((c, k) => ask(threads[k]!, { kind: "produce", port: c.port1, n, payload, go }, [c.port1])));
          const putting = channels.map((_, k) => next(threads[k]!));
          return { go, taking, putting };
        };
        let armed = await arm();
        return {
          async run() {
            const { go, taking, putting } = armed;
            release(go);
            await Promise.all(putting);
            return (await Promise.all(taking)).reduce((a, b) => a + b, 0);
          },
          after: async () => {
            armed = await arm();
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
        measure: async () => {
          const { seconds, check } = await runPythonPeer<{ seconds: number; check: number }>(ctx, "python_queue.py", [String(producers), String(consumers), JSON.stringify({ n, payload })]);
          checkTaken(plan, check);
          return seconds;
        },
      }),
    },
  ];
}

/** Untimed runs per runner before the timed ones (see `queueCase`). */
const WARMUPS = 4;

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
        // Eight threads' JIT settles over several runs: run by run, Lanes took 357, 129, 81, 74 … ms and
        // MessagePort 152, 127, 114, 108, 93 … ms for 4 → 4 ints; after one warm-up the first timed runs
        // were the slowest of both. Python's runs are fresh processes each time (no warm-up applies).
        warmups: WARMUPS,
        notes: [
          "Every runner's clock runs from a start signal to the last item taken; the queue (or channels) and every producer and consumer (threads, processes) are set up and waiting for that signal before it.",
          `The Lanes and MessagePort runners warm up for ${WARMUPS} untimed runs each, turn by turn, before the timed ones (their threads' JIT settles over several runs); Python's runs are fresh processes.`,
          "The MessagePort peer is no queue: one channel per producer–consumer pair, unbounded, the floor of postMessage between threads.",
          ...(q.producers > 1
            ? [
                `"lanes, ${q.producers} Queues (one per pair)" is the MessagePort peer's shape with Lanes queues: one Queue per producer–consumer pair. Its ratio to the one shared Queue is what sharing a queue among ${q.producers} producers and ${q.producers} consumers costs.`,
              ]
            : []),
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
