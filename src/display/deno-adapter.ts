/** Displays through Deno's Jupyter kernel (`Deno.jupyter.display(bundle, { raw: true })`). */
import type { DisplayAdapter } from "./adapter";
import type { MimeBundle } from "./bundle";

type DenoDisplay = (obj: unknown, options?: { raw?: boolean; update?: boolean; display_id?: string }) => Promise<void>;

/** Deno's `Deno.jupyter.display`, when running in Deno's Jupyter kernel. */
export function denoDisplay(): DenoDisplay | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: { display?: unknown } } }).Deno;
  const display = deno?.jupyter?.display;
  return typeof display === "function" ? (display as DenoDisplay) : undefined;
}

export class DenoAdapter implements DisplayAdapter {
  readonly kind = "deno" as const;

  constructor(private readonly send: DenoDisplay) {}

  display(bundle: MimeBundle, id?: string): void {
    this.post(bundle, { raw: true, ...(id === undefined ? {} : { display_id: id }) });
  }

  update(bundle: MimeBundle, id: string): void {
    this.post(bundle, { raw: true, update: true, display_id: id });
  }

  private post(bundle: MimeBundle, options: { raw: boolean; update?: boolean; display_id?: string }): void {
    // Fire and forget: a display must never make the caller wait, nor reject unobserved.
    this.send(bundle, options).catch((error: unknown) => {
      console.error(`lanes: Deno.jupyter.display failed: ${String(error)}`);
    });
  }
}
