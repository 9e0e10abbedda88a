/**
 * MIME bundles, and the protocol objects use to offer one: a method under
 * `Symbol.for("Jupyter.display")` returning `{ mimeType: data }` (Deno's Jupyter kernel calls it
 * for a cell's last value; `show` calls it everywhere).
 */

/** `{ "text/plain": "…", "text/html": "…", "application/vnd.lanes.table.v1+json": {…} }`. */
export type MimeBundle = Record<string, unknown>;

/** The key of the display method (same symbol as Deno's `Deno.jupyter.$display`). */
export const DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** Anything that can describe itself as a MIME bundle. */
export interface Displayable {
  [DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

/** The bundle's `text/plain`, else the whole bundle as JSON: what a front end without rich display shows. */
export function plainTextOf(bundle: MimeBundle): string {
  const text = bundle["text/plain"];
  return typeof text === "string" ? text : JSON.stringify(bundle);
}

/** Whether `x` offers a MIME bundle through `Symbol.for("Jupyter.display")`. */
export function isDisplayable(x: unknown): x is Displayable {
  return (typeof x === "object" || typeof x === "function") && x !== null && typeof (x as Partial<Displayable>)[DISPLAY] === "function";
}
