/** Atomics handshakes between a test and the Process threads it starts (never sleeps). */

/** Atomics.waitAsync is in Node 20, not yet in this project's TypeScript lib. */
export type WaitAsync = (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** A few Int32 cells on shared memory: a target sets one, the test waits for it. */
export function cells(n = 4): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

/** Resolves once `a[i]` is no longer 0, without blocking the calling thread. */
export async function whenSet(a: Int32Array, i: number): Promise<void> {
  while (Atomics.load(a, i) === 0) {
    const wait = waitAsync(a, i, 0);
    if (wait.async) await wait.value;
  }
}

/** Sets `a[i]` to `v` and wakes whoever waits on it. */
export function release(a: Int32Array, i: number, v = 1): void {
  Atomics.store(a, i, v);
  Atomics.notify(a, i);
}

/** Captures what is written to stderr while `body` runs (a Process prints an uncaught error there). */
export async function stderrOf(body: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let text = "";
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
  try {
    await body();
  } finally {
    process.stderr.write = write;
  }
  return text;
}
