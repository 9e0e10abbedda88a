/**
 * Encodes slow-path waits and queue depth samples into their column form on the wire
 * ({@link WaitColumnsV1}, {@link DepthTrackV1}) and back. Both are optional payload fields added
 * after v1 shipped: a payload without them decodes to no waits and no tracks.
 */
import { WAIT_KIND_CODES, type DepthTrackV1, type TimelinePayloadV1, type WaitColumnsV1, type WaitKind, type WaitV1 } from "./mime";

const KIND_OF_CODE = new Map<string, WaitKind>(Object.entries(WAIT_KIND_CODES).map(([k, c]) => [c, k as WaitKind]));

/** Lock-like kinds: their waits are contention (summed as "lock waits"); the others wait for another thread on purpose. */
export function isLockKind(kind: WaitKind): boolean {
  return kind === "Lock" || kind === "RLock" || kind === "Semaphore" || kind === "BoundedSemaphore";
}

/** `Lock#3`: the label of what a wait waited on. */
export function waitTarget(kind: WaitKind, object: number): string {
  return object > 0 ? `${kind}#${object}` : kind;
}

const micros = (ms: number): number => Math.round(ms * 1000);

/** Column-encodes waits (sorted by start). */
export function encodeWaits(waits: readonly WaitV1[]): WaitColumnsV1 {
  const lane: number[] = [];
  const start: number[] = [];
  const duration: number[] = [];
  const object: number[] = [];
  let kind = "";
  let prev = 0;
  for (const w of waits) {
    const s = micros(w.start);
    lane.push(w.lane);
    start.push(s - prev);
    prev = s;
    duration.push(Math.max(0, micros(w.end) - s));
    object.push(w.object);
    kind += WAIT_KIND_CODES[w.kind];
  }
  return { count: waits.length, lane, start, duration, kind, object };
}

/** Decodes a payload's waits; none when the payload has no (or malformed) wait columns. */
export function decodeWaits(columns: WaitColumnsV1 | undefined): WaitV1[] {
  // A saved notebook may hold anything here (hand edits, other versions): malformed columns draw no waits.
  if (columns === undefined || typeof columns !== "object" || columns === null) return [];
  if (![columns.lane, columns.start, columns.duration, columns.object].every(Array.isArray) || typeof columns.kind !== "string") return [];
  const out: WaitV1[] = [];
  let s = 0;
  const n = Math.min(Number(columns.count) || 0, columns.start.length);
  for (let i = 0; i < n; i++) {
    s += columns.start[i] ?? 0;
    const d = columns.duration[i] ?? 0;
    out.push({
      lane: columns.lane[i] ?? 0,
      kind: KIND_OF_CODE.get(columns.kind[i] ?? "l") ?? "Lock",
      object: columns.object[i] ?? 0,
      start: s / 1000,
      end: (s + d) / 1000,
    });
  }
  return out;
}

/** A depth track from `[time ms, depth]` samples (times since the origin). */
export function encodeTrack(name: string, maxsize: number, everyMs: number, samples: readonly (readonly [number, number])[]): DepthTrackV1 {
  const t: number[] = [];
  const depth: number[] = [];
  let prev = 0;
  for (const [time, d] of samples) {
    const us = micros(time);
    t.push(us - prev);
    prev = us;
    depth.push(d);
  }
  return { name, maxsize, everyMs, t, depth };
}

/** A decoded depth track: sample times (ms since the origin) and depths. */
export interface DepthSamples {
  name: string;
  maxsize: number;
  everyMs: number;
  times: number[];
  depths: number[];
  /** The largest depth sampled. */
  peak: number;
}

export function decodeTrack(track: DepthTrackV1): DepthSamples {
  const times: number[] = [];
  let us = 0;
  for (const dt of track.t) {
    us += dt;
    times.push(us / 1000);
  }
  const depths = track.depth.slice(0, times.length);
  return { name: String(track.name), maxsize: track.maxsize, everyMs: track.everyMs, times, depths, peak: Math.max(0, ...depths) };
}

/** A payload's depth tracks, decoded; none in older payloads (malformed ones are skipped). */
export function decodeTracks(p: TimelinePayloadV1): DepthSamples[] {
  if (!Array.isArray(p.tracks)) return [];
  return p.tracks.filter((t) => typeof t === "object" && t !== null && Array.isArray(t.t) && Array.isArray(t.depth)).map(decodeTrack);
}
