/** Plain Node (a script, a REPL, a CI log): no rich display, so a display is its text printed to stdout. */
import type { DisplayAdapter } from "./adapter";
import { plainTextOf, type MimeBundle } from "./bundle";

/** The part of a stream the plain adapters write to. */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class NodeAdapter implements DisplayAdapter {
  readonly kind = "node" as const;

  constructor(private readonly out: TextStream = process.stdout) {}

  display(bundle: MimeBundle): void {
    this.out.write(`${plainTextOf(bundle)}\n`);
  }

  /** In place updates cannot be shown in a log; live progress uses the stderr bar instead. */
  update(): void {}
}
