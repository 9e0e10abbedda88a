/** Number formats shared by the text and HTML fallbacks and the extension. */

/** `0.42 ms`, `12.3 ms`, `1.25 s`, `2 min 5 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** `12,345` (grouped, no locale surprises). */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `93%`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** A number for a table cell: integers as is, others with up to 4 significant decimals. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e9) ? n.toExponential(3) : String(Number(n.toPrecision(6)));
}

/** Items done of the total: `450/1,000 items`. */
export function formatDone(done: number, total: number): string {
  return `${formatCount(done)}/${formatCount(total)} items`;
}

/** An item range `[first, last)`: `item 7`, `items 0–24`. */
export function formatItems(first: number, last: number): string {
  return last - first === 1 ? `item ${first}` : `items ${first}–${last - 1}`;
}
