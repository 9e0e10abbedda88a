// Bare worker_threads peer: no pool library, one message in and one out per run, running the same
// hand-written tasks as the raw piscina peer.
"use strict";
const { parentPort } = require("node:worker_threads");
const task = require("./piscina-worker.js");
parentPort.on("message", (msg) => parentPort.postMessage(task(msg)));
