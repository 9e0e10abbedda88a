/**
 * Redis connections for both sides. `redis://` and `rediss://` (TLS) URLs, with a user and password
 * or not, go straight to ioredis, with the TLS options of ./tls.ts for `rediss://`. Every message
 * names the URL without its password.
 */
import type IORedis from "ioredis";
import type { RedisOptions } from "ioredis";
import type { ConnectionOptions } from "node:tls";
import { RedisUnreachableError } from "../errors";
import { CERTIFICATE_HINT, isCertificateError } from "./tls";

/**
 * ioredis and BullMQ load on first use: they take about 300 ms to load, which `require("lanes")`
 * must not cost a user who never leaves one machine.
 */
export function ioredis(): typeof IORedis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("ioredis") as { default: typeof IORedis }).default;
}

export function bullmq(): typeof import("bullmq") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("bullmq") as typeof import("bullmq");
}

/** Milliseconds the first contact with Redis may take before it is reported unreachable. */
export const CONNECT_TIMEOUT_MS = 3_000;

/** `url` with any password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}

/** Throws a TypeError naming what is wrong with `url`, unless it is a redis:// or rediss:// URL. */
export function checkRedisUrl(url: unknown): string {
  if (typeof url !== "string") throw new TypeError(`the Redis URL must be a string like "redis://127.0.0.1:6379", not ${typeof url}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`"${redactUrl(url)}" is not a URL: give one like "redis://127.0.0.1:6379" (or "rediss://user:password@host:6380" for TLS)`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(`"${redactUrl(url)}" is not a Redis URL: it must start with redis:// (or rediss:// for TLS)`);
  }
  return url;
}

/**
 * A connection that retries for ever (BullMQ's workers and blocking reads need
 * `maxRetriesPerRequest: null`); what gives up is the caller's own bounded wait.
 */
export function connect(url: string, extra: RedisOptions = {}): IORedis {
  const Redis = ioredis();
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    ...extra,
  });
  // ioredis reports every failed reconnection as an 'error' event; the callers report what matters.
  redis.on("error", () => undefined);
  return redis;
}

/**
 * Checks that Redis answers at `url` within `ms`, with a throwaway connection that does not retry:
 * an unreachable Redis is a clear error in seconds, never a hang. `tls`: as for {@link connect}
 * (./tls.ts); an untrusted certificate is reported with the ways to trust it.
 */
export async function probe(url: string, ms: number = CONNECT_TIMEOUT_MS, tls?: ConnectionOptions): Promise<void> {
  const Redis = ioredis();
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: ms, retryStrategy: () => null, enableOfflineQueue: false, ...(tls === undefined ? {} : { tls }) });
  let lastError: unknown;
  redis.on("error", (error) => (lastError = error));
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
  } catch (error) {
    const cause = lastError ?? error;
    const why = cause instanceof Error ? cause.message : String(cause);
    const what = isCertificateError(cause)
      ? CERTIFICATE_HINT
      : "Start Redis there (or a LocalCluster), check the host, port and password, and that this machine may connect to it.";
    throw new RedisUnreachableError(`Cannot reach Redis at ${redactUrl(url)} (${why}). ${what}`, { cause });
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
