/**
 * The cluster's shared key: every machine of a cluster (the notebook and each `lanes worker`) holds
 * the same one, from `LANES_KEY` or a key file. Jobs and results are signed with it (./envelope.ts).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { ClusterKeyError } from "../errors";
import type { ClusterKey } from "./envelope";

/** Shorter keys are refused: a key is all that stands between Redis write access and running code. */
export const MIN_KEY_LENGTH = 16;

export interface KeySource {
  /** The key itself (text). */
  key?: string | undefined;
  /** A file holding the key (surrounding whitespace ignored). */
  keyFile?: string | undefined;
  /** Run without signing: anyone who can write to Redis can run code on the workers. */
  insecure?: boolean | undefined;
}

/** The key from `source`, else `LANES_KEY`; null when `insecure`; a ClusterKeyError naming the fix otherwise. */
export function loadKey(source: KeySource, who: string): ClusterKey {
  let text = source.key;
  let from = "the key given";
  if (text === undefined && source.keyFile !== undefined) {
    try {
      text = readFileSync(source.keyFile, "utf8").trim();
    } catch (error) {
      throw new ClusterKeyError(`${who}: cannot read the key file ${source.keyFile} (${(error as Error).message})`, { cause: error });
    }
    from = `the key file ${source.keyFile}`;
  }
  if (text === undefined && process.env.LANES_KEY !== undefined && process.env.LANES_KEY !== "") {
    text = process.env.LANES_KEY;
    from = "LANES_KEY";
  }
  if (text === undefined) {
    if (source.insecure === true) return null;
    throw new ClusterKeyError(
      `${who} needs the cluster key that signs jobs (whoever can write to Redis could otherwise run code on every worker). ` +
        `Set LANES_KEY to the same secret on every machine (for example \`export LANES_KEY=$(openssl rand -hex 32)\`) or pass a key file; ` +
        `on a network you trust, opt out with --insecure (lanes worker) or { insecure: true } (Pool backend).`,
    );
  }
  if (text.length < MIN_KEY_LENGTH) throw new ClusterKeyError(`${who}: ${from} is ${text.length} characters long; use at least ${MIN_KEY_LENGTH} (for example \`openssl rand -hex 32\`)`);
  return Buffer.from(text, "utf8");
}

/** A fresh random key (a LocalCluster makes its own). */
export function newKey(): string {
  return randomBytes(32).toString("hex");
}
