// MessagePort peer of the round-trip benchmark: two threads on one channel. The echo thread posts back
// whatever arrives; the ping thread, told `{ rounds, warm }`, posts an item and waits for its answer,
// `warm` times off the clock and `rounds` times on it, then answers its parent with the mean seconds of
// one round trip. No library: the floor of postMessage between two threads.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");

const { role, port } = workerData;
if (role === "echo") {
  port.on("message", (x) => port.postMessage(x));
} else {
  parentPort.on("message", ({ rounds, warm }) => {
    let i = 0;
    let t0 = 0;
    const onAnswer = () => {
      i++;
      if (i === warm) t0 = performance.now();
      if (i === warm + rounds) {
        port.off("message", onAnswer);
        parentPort.postMessage((performance.now() - t0) / 1000 / rounds);
        return;
      }
      port.postMessage(["abc", i]);
    };
    port.on("message", onAnswer);
    port.postMessage(["abc", 0]);
  });
}
