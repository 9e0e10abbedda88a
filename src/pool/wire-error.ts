import { inspect } from "node:util";
import type { WireError } from "./protocol";

/** Causes and aggregated errors are followed this deep; a deeper chain (or a cycle) is cut there. */
const MAX_DEPTH = 8;

/** Properties every error has, carried by their own fields. */
const OWN_FIELDS = new Set(["name", "message", "stack", "cause", "errors"]);

/**
 * Flattens anything thrown in a worker to a WireError. Structured clone alone keeps only `message` and
 * `stack` of most errors: a custom `name`, `code`, `cause` and an AggregateError's `errors` would be lost.
 */
export function toWireError(thrown: unknown, hideFramesOf?: string): WireError {
  return flatten(thrown, hideFramesOf, 0);
}

function flatten(thrown: unknown, hideFramesOf: string | undefined, depth: number): WireError {
  if (!(thrown instanceof Error)) {
    return { name: "Error", message: `a non-Error value was thrown: ${inspect(thrown, { depth: 2 })}` };
  }
  const wire: WireError = { name: thrown.name, message: thrown.message, stack: trimStack(thrown.stack, hideFramesOf) };
  const props = cloneableProps(thrown);
  if (props !== undefined) wire.props = props;
  if (depth < MAX_DEPTH) {
    if ("cause" in thrown && thrown.cause !== undefined) {
      const { cause } = thrown;
      if (cause instanceof Error) wire.cause = { error: flatten(cause, hideFramesOf, depth + 1) };
      else if (cloneable(cause)) wire.cause = { value: cause };
      else wire.cause = { value: inspect(cause, { depth: 2 }) };
    }
    if (thrown instanceof AggregateError && Array.isArray(thrown.errors)) {
      wire.errors = (thrown.errors as unknown[]).map((e) => flatten(e, hideFramesOf, depth + 1));
    }
  }
  return wire;
}

/** The error's own enumerable properties that can cross (a socket or a callback on an error is left behind). */
function cloneableProps(error: Error): Record<string, unknown> | undefined {
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(error)) {
    if (OWN_FIELDS.has(key)) continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (!cloneable(value)) continue;
    (props ??= {})[key] = value;
  }
  return props;
}

function cloneable(value: unknown): boolean {
  if (value === null || (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol")) return true;
  try {
    // Errors are rare: a trial clone is the one exact test of what postMessage will accept.
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** Drops the frames of Lanes' own worker entry and of piscina below the user's function. */
function trimStack(stack: string | undefined, hideFramesOf: string | undefined): string | undefined {
  if (stack === undefined || hideFramesOf === undefined) return stack;
  return stack
    .split("\n")
    .filter((line) => !(line.includes(hideFramesOf) || /[\\/]piscina[\\/]dist[\\/]/.test(line)))
    .join("\n");
}
