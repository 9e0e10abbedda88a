/**
 * TLS of `rediss://` connections. ioredis turns TLS on for a `rediss://` URL and hands `tls` to
 * Node's `tls.connect`, so the server's certificate is checked against Node's CAs (the system's,
 * plus `NODE_EXTRA_CA_CERTS`, read when the process starts). A cluster's own CA usually is not
 * among them: the notebook and every `lanes worker` need to be told which CA signed the server's
 * certificate, as an option, a file, or `LANES_REDIS_CA` (a file) for both at once.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { RedisTlsError } from "../errors";

/** Where the TLS settings of a `rediss://` connection come from. */
export interface TlsSource {
  /**
   * Options for Node's `tls.connect`, passed to ioredis as they are: `{ ca }` for a private CA,
   * `{ ca, cert, key }` for client certificates (Redis's `tls-auth-clients yes`).
   * Only with a `rediss://` URL.
   * @default undefined (Node's CAs, which include `NODE_EXTRA_CA_CERTS`)
   * @example { tls: { ca: fs.readFileSync("/etc/lanes/redis-ca.pem") } }
   */
  tls?: ConnectionOptions | undefined;
  /**
   * A PEM file of the CA that signed the Redis server's certificate (added to `tls.ca`).
   * Only with a `rediss://` URL.
   * @default process.env.LANES_REDIS_CA
   * @example { url: "rediss://redis.internal:6380", caFile: "/etc/lanes/redis-ca.pem" }
   */
  caFile?: string | undefined;
}

/**
 * The `tls` option for ioredis, or undefined for a plain `redis://` URL (and for a `rediss://` one
 * that trusts Node's CAs). `LANES_REDIS_CA` counts only for `rediss://`: it can be exported once for
 * every process of a cluster, plain ones included.
 */
export function loadTls(url: string, source: TlsSource, who: string): ConnectionOptions | undefined {
  const secure = url.startsWith("rediss:");
  if (!secure) {
    if (source.tls !== undefined || source.caFile !== undefined) {
      throw new RedisTlsError(`${who}: TLS options were given with a plain redis:// URL. For TLS, write the URL as rediss://…; otherwise drop the TLS options.`);
    }
    return undefined;
  }
  const envFile = process.env.LANES_REDIS_CA;
  const file = source.caFile ?? (envFile !== undefined && envFile !== "" ? envFile : undefined);
  if (file === undefined) return source.tls;
  let ca: Buffer;
  try {
    ca = readFileSync(file);
  } catch (error) {
    const from = source.caFile !== undefined ? "the CA file" : "LANES_REDIS_CA, the CA file";
    throw new RedisTlsError(`${who}: cannot read ${from} ${file} (${(error as Error).message}). Give the PEM file of the CA that signed the Redis server's certificate.`, { cause: error });
  }
  const given = source.tls?.ca;
  const cas = given === undefined ? [] : Array.isArray(given) ? given : [given];
  return { ...source.tls, ca: [...cas, ca] };
}

/** Whether `error` says that the server's TLS certificate was not trusted (or not for this host). */
export function isCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ISSUER/.test(code);
}

/** What to do about an untrusted certificate: the ways to give the CA, on both sides. */
export const CERTIFICATE_HINT =
  "The Redis server's TLS certificate is not trusted here: give the CA that signed it, with { caFile } or { tls: { ca } } in the Pool's backend, " +
  "`lanes worker --tls-ca <file>`, LANES_REDIS_CA=<file> for both, or NODE_EXTRA_CA_CERTS=<file> set before Node (the kernel) starts.";
