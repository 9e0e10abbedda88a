// Payloads for the renderer tests, encoded with the kernel's own encoder so tests and kernel agree
// on the wire format.
import { encodeSpans, type SpanArrays } from "lanes/dist/wire/span-codec";
import type { TablePayloadV1, TimelinePayloadV1 } from "lanes/dist/wire/mime";

export const XSS = `<img src=x onerror="globalThis.__lanesXss = 1"><b>bold</b>&amp;`;

export interface SpanSpec {
  worker: number;
  call?: number;
  queued?: number;
  started?: number;
  finished?: number;
  items?: [number, number];
  /** Index into OUTCOMES: 0 ok, 1 error, 2 cancelled, 3 running, 4 queued. */
  outcome?: number;
  error?: string;
}

export function spanArrays(specs: readonly SpanSpec[]): SpanArrays {
  const errors = new Map<number, string>();
  specs.forEach((s, i) => {
    if (s.error !== undefined) errors.set(i, s.error);
  });
  return {
    count: specs.length,
    worker: specs.map((s) => s.worker),
    threadId: specs.map((s) => s.worker + 1),
    call: specs.map((s) => s.call ?? 0),
    queued: specs.map((s) => s.queued ?? 0),
    started: specs.map((s) => s.started ?? NaN),
    finished: specs.map((s) => s.finished ?? NaN),
    first: specs.map((s, i) => s.items?.[0] ?? i * 2),
    last: specs.map((s, i) => s.items?.[1] ?? i * 2 + 2),
    outcome: specs.map((s) => s.outcome ?? 0),
    errors,
  };
}

export function timelinePayload(specs: readonly SpanSpec[], over: Partial<TimelinePayloadV1> = {}): TimelinePayloadV1 {
  const workers = Math.max(1, ...specs.map((s) => s.worker + 1));
  const wallMs = Math.max(0, ...specs.map((s) => s.finished ?? s.started ?? 0));
  return {
    version: 1,
    origin: 1_700_000_000_000,
    calls: ["double"],
    workers,
    live: false,
    done: specs.length * 2,
    total: specs.length * 2,
    spans: encodeSpans(spanArrays(specs)),
    omittedSpans: 0,
    summary: { wallMs, busy: Array.from({ length: workers }, () => 0.5), parallelism: 1, serialEstimateMs: wallMs, speedup: 1, queueWaitMs: 0, errors: specs.filter((s) => s.outcome === 1).length },
    ...over,
  };
}

/** `n` back-to-back tasks of 1 ms on each of `workers` lanes. */
export function manySpans(n: number, workers: number): SpanSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const w = i % workers;
    const k = Math.floor(i / workers);
    return { worker: w, started: k, finished: k + 0.9, outcome: i % 997 === 0 ? 1 : 0, error: i % 997 === 0 ? "RangeError" : undefined };
  });
}

export function tablePayload(over: Partial<TablePayloadV1> = {}): TablePayloadV1 {
  return {
    version: 1,
    columns: [
      { name: "n", type: "number", summary: { nulls: 1, distinct: 3, min: 1, max: 10, histogram: { edges: [1, 5.5, 10], counts: [2, 1] } } },
      { name: "s", type: "string", summary: { nulls: 0, distinct: 4, min: "a", max: "d" } },
    ],
    rows: [
      [10, "b"],
      [null, "a"],
      [1, "d"],
      [2, "c"],
    ],
    totalRows: 4,
    rowLimit: 100,
    ...over,
  };
}

/** What JupyterLab hands a renderer: only `data` is read. */
export function mimeModel(mime: string, payload: unknown): { data: Record<string, unknown>; metadata: Record<string, unknown>; trusted: boolean; setData: () => void } {
  return { data: { [mime]: payload }, metadata: {}, trusted: false, setData: () => undefined };
}
