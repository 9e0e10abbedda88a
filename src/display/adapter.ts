/** Where displays go: the tslab kernel, Deno's kernel, a plain Node terminal, or a test double. */
import type { MimeBundle } from "./bundle";

export interface DisplayAdapter {
  /** Which front end this is; `"node"` means no rich display (a terminal or a log). */
  readonly kind: "tslab" | "deno" | "node" | "custom";
  /** Shows a bundle; with an `id`, a later `update(…, id)` replaces it in place. */
  display(bundle: MimeBundle, id?: string): void;
  /** Replaces the display sent with `id`. */
  update(bundle: MimeBundle, id: string): void;
}

/** A fresh display id (Jupyter's `transient.display_id`). */
export function newDisplayId(): string {
  return `lanes-${globalThis.crypto.randomUUID()}`;
}
