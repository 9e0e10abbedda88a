// MessagePort peer of the queue benchmarks: a producer posts n items on its port; a consumer counts
// what arrives on its port and answers once it has `expect` items. No library, the floor of postMessage.
// Both answer "armed" first; a producer then waits for its start word (`go`) before it posts.
"use strict";
const { parentPort } = require("node:worker_threads");

function item(payload, i) {
  if (payload === "int") return i;
  if (payload === "tuple") return ["abc", i];
  return { id: i, name: "ada", value: 0.5, ok: true };
}

parentPort.on("message", (msg) => {
  if (msg.kind === "ping") return parentPort.postMessage("pong");
  const { port, n, payload } = msg;
  parentPort.postMessage("armed");
  if (msg.kind === "produce") {
    Atomics.wait(msg.go, 0, 0);
    for (let i = 0; i < n; i++) port.postMessage(item(payload, i));
    parentPort.postMessage(n);
    return;
  }
  let taken = 0;
  port.on("message", () => {
    if (++taken === n) {
      port.close();
      parentPort.postMessage(taken);
    }
  });
});
