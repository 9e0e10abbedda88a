import { itemError } from "./item-error";
import { AggregateTaskError, RemoteError } from "../errors";
import type { Job, Sink } from "./job";
import type { ItemError, ItemList } from "./protocol";

/** The sink of `map` / `starmap`: results land at their input index; settles once. */
export function collect<R>(job: Pick<Job, "start" | "cancel">, length: number, stopOnError: boolean): Promise<R[]> {
  return new Promise<R[]>((resolve, reject) => {
    const out = new Array<unknown>(length);
    const errors: RemoteError[] = [];
    const sink: Sink = {
      results(start: number, values: ItemList, count: number, failed: ItemError[]) {
        for (let i = 0; i < count; i++) out[start + i] = values[i];
        for (const { index, error } of failed) {
          out[index] = undefined;
          errors.push(itemError(error, index));
        }
        if (stopOnError && errors.length > 0) {
          job.cancel();
          reject(errors[0]!);
        }
      },
      end() {
        if (errors.length === 0) return resolve(out as R[]);
        reject(new AggregateTaskError<R>(errors, out as (R | undefined)[]));
      },
      fail: reject,
    };
    job.start(sink);
  });
}
