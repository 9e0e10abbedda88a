/**
 * The live progress of a plain Node script: one line on stderr, redrawn in place with `\r`, only
 * when stderr is a terminal (a log file or CI output gets nothing rather than hundreds of lines).
 */
import type { TextStream } from "./node-adapter";
import { progressLine } from "./progress-line";
import { formatMs } from "../wire/format";

export class StderrBar {
  private drawn = false;

  constructor(private readonly out: TextStream = process.stderr) {}

  /** Whether anything will be drawn. */
  get enabled(): boolean {
    return this.out.isTTY === true;
  }

  draw(done: number, total: number, ratePerSec: number, etaMs: number | null, busy: number, workers: number): void {
    if (!this.enabled) return;
    this.drawn = true;
    // \x1b[K clears what a longer previous line left behind.
    this.out.write(`\r${progressLine(done, total, ratePerSec, etaMs)} · ${busy}/${workers} workers busy\x1b[K`);
  }

  /** The last line, kept on screen. */
  end(done: number, total: number, wallMs: number): void {
    if (!this.enabled) return;
    this.out.write(`${this.drawn ? "\r" : ""}${progressLine(done, total, 0, null)} · done in ${formatMs(wallMs)}\x1b[K\n`);
  }
}
