// The browser tests drive Debian's Chromium; no browser is ever downloaded.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { SetupError } from "./preflight.mjs";

export const CHROMIUM = process.env.LANES_CHROMIUM ?? "/usr/bin/chromium";

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    throw new SetupError(`the browser tests need Chromium at ${CHROMIUM}: install Debian's package \`chromium\` (sudo apt-get install chromium) or set LANES_CHROMIUM, and run again.`);
  }
  process.stderr.write("lanes set-up: installing Debian's chromium for the browser tests …\n");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const ok = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env }).status === 0 &&
    spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env }).status === 0;
  if (!ok || !existsSync(CHROMIUM)) throw new SetupError("installing Debian's `chromium` failed (see above); install it by hand and run again.");
}
