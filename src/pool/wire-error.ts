import { inspect } from "node:util";
import type { WireError } from "./protocol";

/** Flattens anything thrown in a worker to `{ name, message, stack }` (the structured clone of an Error loses custom names). */
export function toWireError(thrown: unknown, hideFramesOf?: string): WireError {
  if (thrown instanceof Error) {
    return { name: thrown.name, message: thrown.message, stack: trimStack(thrown.stack, hideFramesOf) };
  }
  return { name: "Error", message: `a non-Error value was thrown: ${inspect(thrown, { depth: 2 })}` };
}

/** Drops the frames of Lanes' own worker entry and of piscina below the user's function. */
function trimStack(stack: string | undefined, hideFramesOf: string | undefined): string | undefined {
  if (stack === undefined || hideFramesOf === undefined) return stack;
  return stack
    .split("\n")
    .filter((line) => !(line.includes(hideFramesOf) || /[\\/]piscina[\\/]dist[\\/]/.test(line)))
    .join("\n");
}
