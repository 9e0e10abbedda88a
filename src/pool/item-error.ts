import { RemoteError, UncloneableResultError, type RemoteErrorInit } from "../errors";

/** The kernel-side error of one failed item: a RemoteError, or the subclass the worker's error name calls for. */
export function itemError(wire: RemoteErrorInit, index: number): RemoteError {
  return wire.name === "UncloneableResultError" ? new UncloneableResultError(wire, index) : new RemoteError(wire, index);
}
