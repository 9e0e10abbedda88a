/**
 * Starts Debian's `redis-server` on a free loopback port, with no persistence, for a LocalCluster
 * and the tests. It is never downloaded: without the package installed, the error names it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { RedisServerMissingError, RedisUnreachableError } from "../errors";
import { probe } from "./connection";

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s) and removes its working folder. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** @default a free port */
  port?: number;
  /** Extra `redis-server` arguments, such as `["--requirepass", "secret"]`. @default [] */
  args?: readonly string[];
  /** Milliseconds to wait for the server to answer. @default 10000 */
  startTimeout?: number;
  /**
   * Stop the server when this process is gone, even if it was killed outright (a shell loop
   * watches it): a LocalCluster leaves no orphan behind a kernel that died.
   * `null`: no watch.
   * @default process.pid
   */
  watchPid?: number | null;
  /**
   * Serve TLS only (`rediss://`; the plain port is off), with these PEM files: the server's
   * certificate and key, and the CA that signed it (the server's `tls-ca-cert-file`; clients
   * are not asked for certificates). Debian's redis-server is built with TLS.
   * @default undefined (plain redis://)
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

/** The `redis-server` binary on PATH (or /usr/bin, /usr/sbin), or a RedisServerMissingError saying how to install it. */
export function findRedisServer(): string {
  // Debian puts it in /usr/bin; the usual folders count only when PATH is unset (a PATH without it means "not installed").
  const path = process.env.PATH;
  const dirs = path === undefined ? ["/usr/bin", "/usr/sbin", "/usr/local/bin"] : path.split(delimiter);
  for (const dir of dirs) {
    if (dir === "") continue;
    const file = join(dir, "redis-server");
    if (existsSync(file)) return file;
  }
  throw new RedisServerMissingError(
    "redis-server is not installed on this machine, and Lanes never downloads it. Install Debian's package: `sudo apt-get install redis-server` " +
      "(or give LocalCluster.start({ redis: \"redis://host:port\" }) a Redis that runs elsewhere).",
  );
}

/** A TCP port free on 127.0.0.1 right now (another process may take it before redis-server does: callers retry). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOn(binary, port, options);
    } catch (error) {
      lastError = error;
      if (options.port !== undefined) break;
    }
  }
  throw lastError;
}

async function startOn(binary: string, port: number, options: RedisServerOptions): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "lanes-redis-"));
  const tls = options.tls;
  const listen = tls === undefined
    ? ["--port", String(port)]
    : ["--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.certFile, "--tls-key-file", tls.keyFile, "--tls-ca-cert-file", tls.caFile, "--tls-auth-clients", "no"];
  const args = [
    ...listen,
    "--bind", "127.0.0.1",
    "--protected-mode", "yes",
    "--save", "",
    "--appendonly", "no",
    "--dir", dir,
    // BullMQ needs every key kept (notes/distributed.md, trap 7).
    "--maxmemory-policy", "noeviction",
    "--daemonize", "no",
    "--loglevel", "warning",
    ...(options.args ?? []),
  ];
  // Its own process group: a terminal's Ctrl-C meant for the notebook does not stop the cluster under it.
  const watchPid = options.watchPid === undefined ? process.pid : options.watchPid;
  const child =
    watchPid === null
      ? spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: true })
      : spawn(
          "/bin/sh",
          ["-c", 'w=$1; shift; "$@" & r=$!; trap \'kill $r 2>/dev/null\' TERM INT; while kill -0 "$w" 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 0.5; done; kill $r 2>/dev/null; wait $r', "lanes-redis-guard", String(watchPid), binary, ...args],
          { stdio: ["ignore", "ignore", "pipe"], detached: true },
        );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `${tls === undefined ? "redis" : "rediss"}://127.0.0.1:${port}`;
  const trust = tls === undefined ? undefined : { ca: readFileSync(tls.caFile) };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // The whole process group: the server, and its guard when there is one.
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 2_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeout ?? 10_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new RedisUnreachableError(`redis-server exited at start on port ${port}: ${stderr.trim() || `exit code ${String(child.exitCode)}`}`);
    }
    try {
      await probe(url, 1_000, trust);
      break;
    } catch (error) {
      // A server started with --requirepass answers, refusing us: it is up.
      if (/NOAUTH|WRONGPASS/.test((error as Error).message)) break;
      if (Date.now() > deadline) {
        await stop();
        throw error;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, port, process: child, stop };
}

/** Signals a detached child's process group (falls back to the child alone). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Whether `redis-server` is installed (for tests that skip without it). */
export function hasRedisServer(): boolean {
  try {
    findRedisServer();
    return true;
  } catch {
    return false;
  }
}
