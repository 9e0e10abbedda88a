/**
 * The pools of this kernel, for two rules that keep a notebook's thread count bounded:
 *
 * - Re-running a cell: a Pool that a notebook top-level name held, and that no notebook name holds
 *   any more once a new Pool was created (re-running `const pool = new mp.Pool(2)` rebinds `pool`),
 *   is closed with a one-line notice: no new work, what is running finishes, then its workers exit.
 *   A pool still held under another name (`const keep = pool`) is left alone.
 * - A pool nothing refers to any more (created inside an expression or a function, never closed) is
 *   terminated when it is garbage-collected.
 *
 * Pools are held weakly here: the registry never keeps one alive.
 */
/** What the registry needs of a pool. */
export interface RegisteredPool {
  readonly processes: number;
  close(): void;
  join(): Promise<void>;
  terminate(): Promise<void>;
  readonly closedOrTerminated: boolean;
}

interface Entry {
  readonly ref: WeakRef<RegisteredPool>;
  /** Notebook names that held the pool when last looked at. */
  names: readonly string[];
}

const entries = new Set<Entry>();
const byPool = new WeakMap<RegisteredPool, Entry>();
const collected = new FinalizationRegistry<() => void>((end) => end());
let sweeping = false;

/**
 * A pool was created. `end` stops its workers and must not refer to the pool: it runs when the pool
 * is garbage-collected.
 */
export function poolCreated(pool: RegisteredPool, end: () => void): void {
  const entry: Entry = { ref: new WeakRef(pool), names: [] };
  entries.add(entry);
  byPool.set(pool, entry);
  collected.register(pool, end, entry);
  if (notebookExports() === undefined) return;
  // Names as they are now (an older pool still bound), and again once the cell bound the new one.
  look();
  if (!sweeping) {
    sweeping = true;
    setImmediate(sweep);
  }
}

/** A pool was terminated or joined. */
export function poolGone(pool: RegisteredPool): void {
  const entry = byPool.get(pool);
  if (entry === undefined) return;
  entries.delete(entry);
  collected.unregister(entry);
}

/** Live pools the registry knows, oldest first (for kernel shutdown). */
export function livePools(): RegisteredPool[] {
  const pools: RegisteredPool[] = [];
  for (const entry of entries) {
    const pool = entry.ref.deref();
    if (pool === undefined) entries.delete(entry);
    else pools.push(pool);
  }
  return pools;
}

type TslabGlobal = { __tslab__?: { exports?: Record<string, unknown> } };

function notebookExports(): Record<string, unknown> | undefined {
  const exports = (globalThis as TslabGlobal).__tslab__?.exports;
  return typeof exports === "object" && exports !== null ? exports : undefined;
}

/** Which notebook names hold each registered pool now. */
function holders(): Map<RegisteredPool, string[]> {
  const held = new Map<RegisteredPool, string[]>();
  const exports = notebookExports();
  if (exports === undefined) return held;
  const known = new Set(livePools());
  for (const name of Object.keys(exports)) {
    const value = exports[name] as RegisteredPool;
    if (!known.has(value)) continue;
    const names = held.get(value);
    if (names === undefined) held.set(value, [name]);
    else names.push(name);
  }
  return held;
}

function look(): Map<RegisteredPool, string[]> {
  const held = holders();
  for (const [pool, names] of held) byPool.get(pool)!.names = names;
  return held;
}

function sweep(): void {
  sweeping = false;
  const before = new Map(livePools().map((pool) => [pool, byPool.get(pool)!.names] as const));
  const held = look();
  for (const [pool, names] of before) {
    if (names.length === 0 || held.has(pool) || pool.closedOrTerminated) continue;
    poolGone(pool);
    const list = names.map((n) => `\`${n}\``).join(", ");
    console.warn(
      `lanes: closed the Pool that ${list} held (${pool.processes} workers): a new Pool took its name. Work it was running finishes first. ` +
        `To keep both, give the new one another name.`,
    );
    pool.close();
    void pool.join().catch(() => undefined);
  }
}
