import { spawn } from "node:child_process";

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the Node script `script` with argument `mode`; sends `signal` once it prints "ready" (the
 * script says so once its threads run, through an Atomics handshake). A deadline, not a wait: a child
 * the signal did not stop is killed after `deadlineMs`, and the test sees SIGKILL.
 */
export function runChild(script: string, mode: string, signal?: NodeJS.Signals, deadlineMs = 30_000): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (signal !== undefined && !sent && stdout.includes("ready")) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}
