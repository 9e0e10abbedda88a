/** The one-line progress description shared by the text fallback and the stderr bar. */
import { formatCount, formatDone, formatMs } from "../wire/format";

/** `███████░░░░░░░░` for a fraction 0–1. */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return "█".repeat(full) + "░".repeat(width - full);
}

/** `[████░░░░] 450/1,000 items · 1,234/s · ETA 0.45 s` (the ETA part only when known). */
export function progressLine(done: number, total: number, ratePerSec: number, etaMs: number | null, width = 24): string {
  const fraction = total > 0 ? done / total : 0;
  const rate = ratePerSec > 0 ? ` · ${formatCount(ratePerSec)}/s` : "";
  const eta = etaMs !== null && done < total ? ` · ETA ${formatMs(etaMs)}` : "";
  return `[${bar(fraction, width)}] ${formatDone(done, total)}${rate}${eta}`;
}
