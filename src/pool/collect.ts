import { failureError, type ItemFailure } from "./item-error";
import { AggregateTaskError, KeyboardInterrupt, type TaskError } from "../errors";
import type { Job, Sink } from "./job";
import type { ItemList } from "./protocol";

/** The sink of `map` / `starmap`: results land at their input index; settles once. */
export function collect<R>(job: Pick<Job, "start" | "cancel">, length: number, stopOnError: boolean): Promise<R[]> {
  return new Promise<R[]>((resolve, reject) => {
    // Sparse until the end: an interrupted call hands it over as is (holes for the cancelled items).
    const out = new Array<unknown>(length);
    const errors: TaskError[] = [];
    const sink: Sink = {
      results(start: number, values: ItemList, count: number, failed: ItemFailure[]) {
        for (let i = 0; i < count; i++) out[start + i] = values[i];
        for (const failure of failed) {
          out[failure.index] = undefined;
          errors.push(failureError(failure));
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
      fail(error: Error) {
        // One interrupt cancels every running call: each gets its own error, holding what it had finished.
        if (error instanceof KeyboardInterrupt) reject(new KeyboardInterrupt<R>(error.message, { results: out as (R | undefined)[], errors }));
        else reject(error);
      },
    };
    job.start(sink);
  });
}
