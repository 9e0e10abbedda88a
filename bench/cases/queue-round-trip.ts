import { join } from "node:path";
import { MessageChannel, Worker } from "node:worker_threads";
import { defineCase, type SelfTimed } from "../lib/case";
import { pythonSkip, runPythonPeer } from "../lib/peers";
import { Pool, Queue } from "../../src";

/**
 * Request and answer: one thread puts an item and waits for its answer, another answers it. Where the
 * throughput cases measure a stream (waiters find items already there), this measures how soon a
 * waiting thread sees one item: the latency a worker asking another for something pays each time.
 */
export default defineCase({
  title: "Queue round trip: an item to another worker and its answer back",
  unit: "op",
  order: 86,
  plan(ctx) {
    const rounds = ctx.size(5000, 50);
    const warm = ctx.size(500, 5);
    const ask = (w: Worker, msg: unknown) =>
      new Promise<number>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        w.once("error", onError);
        w.once("message", (m: number) => {
          w.off("error", onError);
          resolve(m);
        });
        w.postMessage(msg);
      });
    return {
      items: 1,
      subject: "lanes Queue, two workers",
      notes: [
        `Each figure is the mean of ${rounds} round trips of ["abc", i], timed in the thread that asks, after ${warm} untimed ones. Lanes: two Queues between two Pool workers, putSync then getSync (the answering worker the same, the other way round). MessagePort: two threads on one channel, each answering from its message handler. Python: two multiprocessing.Queues between the process and an echo Process.`,
      ],
      runners: [
        {
          name: "lanes Queue, two workers",
          peer: "lanes",
          async prepare(): Promise<SelfTimed> {
            const pool = new Pool(2);
            await pool.map((x: number) => x, [1, 2, 3, 4], 1);
            return {
              async measure() {
                const requests = new Queue<unknown>();
                const answers = new Queue<unknown>();
                const echo = (requests: Queue<unknown>, answers: Queue<unknown>): void => {
                  for (const x of requests) answers.putSync(x);
                };
                const ping = (requests: Queue<unknown>, answers: Queue<unknown>, rounds: number, warm: number): number => {
                  for (let i = 0; i < warm; i++) {
                    requests.putSync(["abc", i]);
                    answers.getSync();
                  }
                  const t0 = performance.now();
                  for (let i = 0; i < rounds; i++) {
                    requests.putSync(["abc", i]);
                    answers.getSync();
                  }
                  const seconds = (performance.now() - t0) / 1000 / rounds;
                  requests.close();
                  return seconds;
                };
                const echoing = pool.apply(echo, [requests, answers]);
                const seconds = await pool.apply(ping, [requests, answers, rounds, warm]);
                await echoing;
                return seconds;
              },
              close: () => pool.terminate(),
            };
          },
        },
        {
          name: "MessagePort, two threads",
          peer: "messageport",
          prepare(): SelfTimed {
            const { port1, port2 } = new MessageChannel();
            const file = join(ctx.root, "bench", "peers", "port-round-trip.js");
            const echo = new Worker(file, { workerData: { role: "echo", port: port1 }, transferList: [port1] });
            const ping = new Worker(file, { workerData: { role: "ping", port: port2 }, transferList: [port2] });
            return {
              measure: () => ask(ping, { rounds, warm }),
              close: async () => {
                await Promise.all([echo.terminate(), ping.terminate()]);
              },
            };
          },
        },
        {
          name: "python multiprocessing.Queue",
          peer: "python",
          skip: pythonSkip(ctx),
          prepare: (): SelfTimed => ({
            measure: async () => (await runPythonPeer(ctx, "python_round_trip.py", [String(rounds), String(warm)])).seconds,
          }),
        },
      ],
    };
  },
});
