/** Picks where displays go: an adapter set by the caller, else tslab, else Deno, else plain Node. */
import type { DisplayAdapter } from "./adapter";
import { DenoAdapter, denoDisplay } from "./deno-adapter";
import { NodeAdapter } from "./node-adapter";
import { kernelTslab, TslabAdapter } from "./tslab-adapter";

let chosen: DisplayAdapter | undefined;
let detected: DisplayAdapter | undefined;

/**
 * Sends every later display to `adapter` (a test double, a custom front end); `undefined` goes back
 * to detecting the environment.
 * @example setDisplayAdapter({ kind: "custom", display: (b) => sent.push(b), update: (b) => sent.push(b) })
 */
export function setDisplayAdapter(adapter: DisplayAdapter | undefined): void {
  chosen = adapter;
}

/** The adapter displays go to now. */
export function currentAdapter(): DisplayAdapter {
  if (chosen) return chosen;
  if (detected) return detected;
  const tslab = kernelTslab();
  if (tslab) return (detected = new TslabAdapter(tslab));
  const deno = denoDisplay();
  if (deno) return (detected = new DenoAdapter(deno));
  // Not cached: a later tslab or Deno context would otherwise never be noticed.
  return new NodeAdapter();
}
