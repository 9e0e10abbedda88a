// Runs a set-up command, its output kept in a log file and shown only when it fails, so a second
// `npm start` is quiet and a failure ends in one line that says what is missing.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SetupError } from "./preflight.mjs";

export function run(cmd, args, { cwd, env, logDir, label, hint }) {
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `${label.replace(/\W+/g, "-")}.log`);
  const log = createWriteStream(logPath);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", (err) => {
      log.end();
      reject(new SetupError(`${label}: could not run ${cmd} (${err.message}).${hint ? " " + hint : ""}`));
    });
    child.on("close", (code) => {
      log.end(() => {
        if (code === 0) return resolve();
        const text = readFileSync(logPath, "utf8");
        // The cause is usually at the top (npm) or the bottom (pip, tsc): show both ends.
        const lines = text.trimEnd().split("\n");
        const shown = lines.length <= 30 ? lines : [...lines.slice(0, 12), "  …", ...lines.slice(-15)];
        process.stderr.write(`${shown.join("\n")}\n`);
        const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|Temporary failure in name resolution|Failed to establish a new connection|No matching distribution|network/i.test(text);
        const why = offline ? " It looks like the package registry could not be reached: check the network connection." : "";
        reject(new SetupError(`${label} failed (exit ${code}); full log: ${logPath}.${why}${hint ? " " + hint : ""}`));
      });
    });
  });
}
