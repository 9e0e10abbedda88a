import { RemoteError, UncloneableResultError, type RemoteErrorInit, type TaskError } from "../errors";
import type { WireError } from "./protocol";

/**
 * A failed item as the kernel holds it: the error the worker sent (a `WireError`, plain data), or one
 * the kernel made itself when the item's worker died or ran past the timeout (an `Error`).
 */
export interface ItemFailure {
  index: number;
  error: WireError | TaskError;
}

/** The kernel-side error of one failed item: a RemoteError, or the subclass the worker's error name calls for. */
export function itemError(wire: RemoteErrorInit, index: number): RemoteError {
  return wire.name === "UncloneableResultError" ? new UncloneableResultError(wire, index) : new RemoteError(wire, index);
}

/** The error a caller sees for a failed item. */
export function failureError(failure: ItemFailure): TaskError {
  const { error, index } = failure;
  return error instanceof Error ? error : itemError(error, index);
}
