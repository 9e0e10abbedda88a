import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? ok(addr.port) : fail(new Error("no port"))));
    });
  });
}

// `npm start` after set-up: skips every finished step, passes flags through to JupyterLab and
// prints the URL with its token. (npm test has already run set-up, so this is the "second run".)
describe("npm start", () => {
  it("serves notebooks/ on 127.0.0.1 on the port passed through, printing the URL of lesson 00 with a token", async () => {
    const port = await freePort();
    const child = spawn("npm", ["start", "--", "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    try {
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no URL within 60 s; output:\n${output}`)), 60_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          // The URL opens the course's first lesson, not an empty launcher.
          const m = new RegExp(`http://127\\.0\\.0\\.1:${port}/lab/tree/00-setup-and-tour\\.ipynb\\?token=\\w+`).exec(output);
          if (m) {
            clearTimeout(timer);
            ok(m[0]);
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (code) => fail(new Error(`npm start exited (${code}) before serving:\n${output}`)));
      });
      expect(output).toMatch(/lanes set-up: lanes library \(dist\/\): up to date/);
      const { origin, searchParams } = new URL(url);
      const token = searchParams.get("token") ?? "";
      const res = await fetch(`${origin}/api/contents/00-setup-and-tour.ipynb?content=0&token=${token}`);
      expect(res.status).toBe(200);
      // The server's front page sends the browser to the first lesson too.
      const home = await fetch(`${origin}/?token=${token}`, { redirect: "manual" });
      expect(home.headers.get("location")).toMatch(/^\/lab\/tree\/00-setup-and-tour\.ipynb(\?|$)/);
    } finally {
      // npm runs node which runs jupyter: end the whole process group.
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        const closed = new Promise((ok) => child.once("close", ok));
        process.kill(-child.pid, "SIGTERM");
        await closed;
      }
    }
  }, 90_000);
});
