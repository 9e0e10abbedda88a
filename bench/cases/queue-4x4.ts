import { defineCase } from "../lib/case";
import { checkTaken, queueRunners, type QueuePlan } from "../lib/queues";

export default defineCase({
  title: "Queue: 4 producers → 4 consumers, [\"abc\", i] tuples",
  unit: "items",
  order: 83,
  plan(ctx) {
    const q: QueuePlan = { producers: 4, consumers: 4, n: ctx.size(50_000, 500), payload: "tuple" };
    return {
      items: q.producers * q.n,
      subject: "lanes Queue",
      notes: [
        "Every runner's clock runs from the first put to the last item taken; threads and processes are started before it.",
        "The MessagePort peer is no queue: one channel per producer–consumer pair, unbounded, the floor of postMessage between threads.",
      ],
      targets: [
        { text: "≥ 10× the items/s of Python's multiprocessing.Queue", against: "python multiprocessing.Queue", atLeast: 10 },
        { text: "≥ 2× the items/s of MessagePort postMessage", against: "MessagePort, 4 channels (one per pair)", atLeast: 2 },
      ],
      check: (taken) => checkTaken(q, taken),
      runners: queueRunners(ctx, q),
    };
  },
});
