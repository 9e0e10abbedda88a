/** Median, min and max of a run's samples. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many samples. */
  n: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize: no samples");
  if (samples.some((s) => !Number.isFinite(s))) throw new RangeError(`summarize: a sample is not a finite number (${samples.join(", ")})`);
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

/**
 * How many times faster `subject` is than `peer`, per item: the peer's median time per item over the
 * subject's. Above 1, the subject (Lanes) is faster.
 */
export function ratio(subject: { median: number; items: number }, peer: { median: number; items: number }): number {
  return peer.median / peer.items / (subject.median / subject.items);
}
