/** Records a realistic run into a SpanRecorder: `n` tasks of `chunk` items queued at once, run FIFO on `workers` lanes. */
import { SpanRecorder } from "../../src/trace/span-recorder";

export interface Simulation {
  recorder: SpanRecorder;
  call: number;
  end: number;
}

/** A deterministic pseudo-random source, so runs repeat. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export function simulate({ n, workers, chunk = 1, name = "square", failEvery = 0, seed = 1, recorder = new SpanRecorder({ clock: () => 0 }) }: {
  n: number;
  workers: number;
  chunk?: number;
  name?: string;
  failEvery?: number;
  seed?: number;
  recorder?: SpanRecorder;
}): Simulation {
  const random = lcg(seed);
  const t0 = 1_700_000_000_000;
  const call = recorder.beginCall(name, n * chunk, workers, t0);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(recorder.queued(call, i * chunk, (i + 1) * chunk, t0 + i * 0.001));
  const free = new Array<number>(workers).fill(t0 + 30);
  for (let i = 0; i < n; i++) {
    let w = 0;
    for (let k = 1; k < workers; k++) if (free[k]! < free[w]!) w = k;
    const s = free[w]! + random() * 0.005;
    const d = 0.01 + random() * 0.05;
    recorder.started(ids[i]!, w, 10 + w, s);
    const fail = failEvery > 0 && i % failEvery === failEvery - 1;
    recorder.finished(ids[i]!, fail ? "error" : "ok", fail ? "RangeError" : undefined, s + d);
    free[w] = s + d;
  }
  return { recorder, call, end: Math.max(...free) };
}
