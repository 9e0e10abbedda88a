#!/usr/bin/env node
/**
 * `npx lanes worker --redis <url>`: starts a worker process of a Lanes cluster (./worker.ts).
 */
import { parseArgs } from "node:util";
import { LanesError } from "../errors";
import { checkRedisUrl } from "./connection";
import { loadKey } from "./key";
import { loadTls } from "./tls";
import { DEFAULT_QUEUE } from "./protocol";
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_MAX_STALLED, DEFAULT_STALLED_INTERVAL_MS, LanesWorker } from "./worker";

export const HELP = `Usage: npx lanes worker --redis <url> [options]

Starts a Lanes worker: it takes chunks of pool.map / imap / starmap / apply calls made by
\`new Pool({ backend: "redis://…" })\` anywhere, and runs them in its own threads. Start one per
machine (or several); the machine needs the same npm packages as the notebook.

Options:
  --redis <url>            Redis to take work from: redis://[user:password@]host:port, or rediss://
                           for TLS. Default: $LANES_REDIS.
  --tls-ca <file>          For rediss://: PEM file of the CA that signed the Redis server's
                           certificate. Default: $LANES_REDIS_CA (else Node's CAs, which include
                           $NODE_EXTRA_CA_CERTS).
  --concurrency <n>        Worker threads (chunks run at once). Default: 1.
  --key-file <file>        File holding the cluster key. Default: $LANES_KEY.
  --insecure               Run jobs that are not signed. Anyone who can write to this Redis can
                           then run any code on this machine: only on a network you trust.
  --queue <name>           BullMQ queue to read. Default: ${DEFAULT_QUEUE}.
  --lock-duration <ms>     How long a chunk's lock lasts without renewal. Default: ${DEFAULT_LOCK_DURATION_MS}.
  --stalled-interval <ms>  How often this worker looks for chunks whose worker died. Default: ${DEFAULT_STALLED_INTERVAL_MS}.
                           A chunk whose worker was killed runs again within about
                           lock-duration + stalled-interval.
  --max-stalled <n>        A chunk whose worker dies this many times fails for good. Default: ${DEFAULT_MAX_STALLED}.
  --parent-pid <pid>       Exit when this process is gone (LocalCluster uses it: no orphans).
  -h, --help               This text.

Security: every job is code. The worker runs only jobs signed (HMAC-SHA256) with the cluster key
that the notebook holds too (LANES_KEY, the same on every machine); any other job is refused,
logged, and not run. Without a key it refuses to start unless told --insecure.

SIGTERM (or Ctrl-C): finishes the chunks running now, then exits. A worker killed outright
(SIGKILL, power loss) has its chunks run again by another worker after the lock lapses.
`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new LanesError(`${name} must be a whole number ≥ 1, not "${value}"`);
  return n;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? 1 : 0;
  }
  if (command !== "worker") {
    process.stderr.write(`lanes: unknown command "${command}". The one command is \`lanes worker\`; see \`npx lanes worker --help\`.\n`);
    return 2;
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      redis: { type: "string" },
      "tls-ca": { type: "string" },
      concurrency: { type: "string" },
      "key-file": { type: "string" },
      insecure: { type: "boolean" },
      queue: { type: "string" },
      "lock-duration": { type: "string" },
      "stalled-interval": { type: "string" },
      "max-stalled": { type: "string" },
      "parent-pid": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const url = values.redis ?? process.env.LANES_REDIS;
  if (url === undefined) throw new LanesError("lanes worker needs --redis <url> (or LANES_REDIS), such as --redis redis://127.0.0.1:6379; see --help");
  const redis = checkRedisUrl(url);
  const worker = new LanesWorker({
    redis,
    tls: loadTls(redis, { caFile: values["tls-ca"] }, "lanes worker"),
    key: loadKey({ keyFile: values["key-file"], insecure: values.insecure }, "lanes worker"),
    concurrency: positiveInt("--concurrency", values.concurrency, 1),
    queue: values.queue ?? DEFAULT_QUEUE,
    lockDuration: positiveInt("--lock-duration", values["lock-duration"], DEFAULT_LOCK_DURATION_MS),
    stalledInterval: positiveInt("--stalled-interval", values["stalled-interval"], DEFAULT_STALLED_INTERVAL_MS),
    maxStalledCount: positiveInt("--max-stalled", values["max-stalled"], DEFAULT_MAX_STALLED),
  });
  let signals = 0;
  const stop = (signal: string): void => {
    if (++signals > 1) {
      console.log(`lanes worker ${worker.id}: ${signal} again: exiting now`);
      process.exit(1);
    }
    console.log(`lanes worker ${worker.id}: ${signal}: finishing running chunks, then exiting`);
    void worker.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  const parent = values["parent-pid"] === undefined ? undefined : positiveInt("--parent-pid", values["parent-pid"], 1);
  if (parent !== undefined) {
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        console.log(`lanes worker ${worker.id}: its parent (pid ${parent}) is gone: exiting`);
        process.exit(0);
      }
    }, 500).unref();
  }
  await worker.start();
  return -1; // keep running
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`lanes: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(error instanceof LanesError ? 2 : 1);
    },
  );
}
