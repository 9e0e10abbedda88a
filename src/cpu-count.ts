import { availableParallelism } from "node:os";

/**
 * Number of CPUs this process may use, like Python's `os.cpu_count()` / `multiprocessing.cpu_count()`.
 * Uses `os.availableParallelism()`, which honours CPU affinity where the platform exposes it.
 *
 * @example
 * const pool = new Pool(cpuCount());
 */
export function cpuCount(): number {
  return availableParallelism();
}
