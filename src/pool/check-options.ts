/**
 * Options objects are checked against the names each call knows: a misspelt option (`chunksiz`,
 * Python's `maxtasksperchild`) silently ignored is a bug the user never sees, so it is a TypeError that
 * names the option and the one meant.
 */

/** Python's spellings and common slips, mapped to the Lanes option they mean. */
const ALIASES: Readonly<Record<string, string>> = {
  maxtasksperchild: "maxTasksPerChild",
  max_tasks_per_child: "maxTasksPerChild",
  chunk_size: "chunksize",
  chunkSize: "chunksize",
  stop_on_error: "stopOnError",
  initArgs: "initargs",
  init_args: "initargs",
  workers: "processes",
  numWorkers: "processes",
  concurrency: "processes",
  threads: "processes",
  idle_timeout: "idleTimeout",
  abortSignal: "signal",
  // PoolOptions.context was renamed: it only ever fed the initializer.
  context: "initContext",
};

/** Lower case without `_` and `-`: `Chunk_Size` and `chunksize` are the same word. */
const fold = (name: string): string => name.toLowerCase().replace(/[_-]/g, "");

/** Levenshtein distance, for names of a few letters (cost is their product). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The known option `name` most likely means, or undefined when none is close. */
export function nearestOption(name: string, known: readonly string[]): string | undefined {
  const alias = ALIASES[name];
  if (alias !== undefined && known.includes(alias)) return alias;
  const folded = fold(name);
  const exact = known.find((k) => fold(k) === folded);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = distance(folded, fold(k));
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws when `options` has an own key `known` lacks. `where` names the call for the message
 * (`new Pool()`, `pool.map()`). Keys whose value is `undefined` count too: `{ chunksiz: undefined }` is
 * still a slip.
 *
 * @throws TypeError naming the unknown option, the nearest known one, and every known one.
 */
export function checkOptions(where: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = nearestOption(key, known);
    const hint = near === undefined ? "" : ` Did you mean \`${near}\`?`;
    throw new TypeError(`${where}: unknown option \`${key}\`.${hint} Its options are: ${known.join(", ")}.`);
  }
}
