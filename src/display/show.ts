/**
 * `show(x)`: displays a Timeline, an arquero table, or anything with a MIME bundle under
 * `Symbol.for("Jupyter.display")`, as one full bundle (Lanes JSON + static HTML + plain text).
 */
import { LanesError } from "../errors";
import type { DisplayAdapter } from "./adapter";
import { isArqueroTable } from "./arquero-like";
import { isDisplayable, DISPLAY, type MimeBundle } from "./bundle";
import { currentAdapter } from "./current-adapter";
import { tableBundle } from "./table-bundle";
import type { TableDisplayOptions } from "./table-options";

/** Raised by `show` for a value that has no display. */
export class NotDisplayableError extends LanesError {}

/** Options of {@link show}: the table options, and where to send the display. */
export interface ShowOptions extends TableDisplayOptions {
  /**
   * Where the display goes.
   * @default the running kernel (tslab or Deno), else stdout as text
   * @example show(t, { adapter: myAdapter })
   */
  adapter?: DisplayAdapter;
}

/**
 * The MIME bundle of `x` (what `show` sends).
 * @example const bundle = await bundleOf(table); Object.keys(bundle)
 */
export function bundleOf(x: unknown, options: TableDisplayOptions = {}): MimeBundle | Promise<MimeBundle> {
  if (isArqueroTable(x)) return tableBundle(x, options);
  if (isDisplayable(x)) return x[DISPLAY]();
  const what = x === null ? "null" : typeof x === "object" ? (x.constructor?.name ?? "object") : typeof x;
  throw new NotDisplayableError(
    `show() cannot display ${what}: pass a Timeline (pool.timeline()), an arquero table, or an object with a [Symbol.for("Jupyter.display")]() method returning a MIME bundle; print other values with console.log`,
  );
}

/**
 * Displays `x` in the notebook as one MIME bundle, like IPython's `display(x)`.
 *
 * @example
 * show(pool.timeline());
 * show(aq.table({ x: [1, 2, 3] }), { rows: 100 });
 */
export function show(x: unknown, options: ShowOptions = {}): void {
  const adapter = options.adapter ?? currentAdapter();
  const bundle = bundleOf(x, options);
  if (bundle instanceof Promise) {
    bundle.then(
      (b) => adapter.display(b),
      (error: unknown) => console.error(`lanes: show() failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  } else adapter.display(bundle);
}
