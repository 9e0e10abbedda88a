/**
 * Instances carried by a transfer handler (`registerTransferHandler`) cannot go to a cluster: the
 * receiving thread rebuilds them with its own registration of the handler, which a local pool's
 * workers get from the pool's `initializer`, and a `lanes worker` has no initializer to run. Found
 * before anything is queued, instead of as a crash of the worker's thread.
 */
import { INSTANCE_MARK } from "../ship/instance-codec";

/**
 * The name of the first transfer handler whose wire is in `packed` (a packed run of items, as
 * src/ship/instance-codec.ts makes them: `{ [INSTANCE_MARK]: "", h: name, w }`), or undefined.
 * Walked only for runs that hold instances (the rare path).
 */
export function transferHandlerIn(packed: unknown): string | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [packed];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null || ArrayBuffer.isView(v) || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v instanceof Map) {
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      for (const x of v) stack.push(x);
    } else {
      const record = v as Record<string, unknown>;
      if (record[INSTANCE_MARK] === "" && typeof record.h === "string") return record.h;
      for (const k of Object.keys(record)) stack.push(record[k]);
    }
  }
  return undefined;
}
