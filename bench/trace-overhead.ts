/**
 * What span recording costs: the same pool.map of 10^5 tiny items with tracing on and off
 * (the internal `pool[TRACING]` switch), interleaved, median and best of RUNS runs each. Spans are
 * recorded on the kernel thread only (workers stamp their times either way), so the kernel thread's
 * busy time (event-loop utilization) is shown too: it is less noisy than wall time on a loaded
 * machine. Last column: the recorder's own cost per span, measured alone, times the spans a call
 * records, as a share of the call.
 *
 *   npm run build && node bench/pool-run.mjs bench/trace-overhead.ts [--runs 31]
 *
 * Prints a table; asserts nothing (tests assert behaviour, never timings).
 */
import { Pool } from "../src/pool";
import { TRACING } from "../src/pool/tracing";
import { SpanRecorder } from "../src/trace/span-recorder";

const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 31;
const N = 100_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** ns per span for queued + started + finished, recorded with worker times passed in (the pool's path). */
function recorderNsPerSpan(): number {
  const spans = 200_000;
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const rec = new SpanRecorder();
    const call = rec.beginCall("bench", spans, 2);
    const t = performance.now();
    for (let i = 0; i < spans; i++) {
      const s = rec.queued(call, i, i + 1);
      rec.started(s, i & 1, 1, t);
      rec.finished(s, "ok", undefined, t);
    }
    times.push(((performance.now() - t) * 1e6) / spans);
  }
  return median(times);
}

async function main(): Promise<void> {
  const pool = new Pool(2);
  const items = Array.from({ length: N }, (_, i) => i);
  const inc = (x: number) => x + 1;
  const cases: [string, () => Promise<unknown>][] = [
    ["map (default chunksize)", () => pool.map(inc, items)],
    ["map (chunksize 1)", () => pool.map(inc, items, 1)],
    [
      "imap (chunksize 1)",
      async () => {
        for await (const _ of pool.imap(inc, items)) {
          /* drain */
        }
      },
    ],
  ];
  // Warm up both paths (worker start, function shipping, JIT).
  for (const [, run] of cases) for (let i = 0; i < 3; i++) await run();

  const ns = recorderNsPerSpan();
  console.log(`# Tracing overhead (Node ${process.version}, ${pool.processes} workers, ${N} items, median of ${RUNS} runs each, interleaved)\n`);
  console.log(`recorder alone: ${ns.toFixed(0)} ns per span (queued + started + finished)\n`);
  console.log("| call | spans/call | wall off (median / best) ms | wall on (median / best) ms | median diff | best diff | kernel busy off / on ms | recorder share |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  const pct = (on: number, off: number): string => `${(((on - off) / off) * 100).toFixed(1)}%`;
  for (const [name, run] of cases) {
    const wall = { on: [] as number[], off: [] as number[] };
    const busy = { on: [] as number[], off: [] as number[] };
    let spans = 0;
    for (let r = 0; r < RUNS; r++) {
      for (const tracing of r % 2 === 0 ? [true, false] : [false, true]) {
        pool[TRACING] = tracing;
        const key = tracing ? "on" : "off";
        const elu = performance.eventLoopUtilization();
        const t = performance.now();
        await run();
        wall[key].push(performance.now() - t);
        busy[key].push(performance.eventLoopUtilization(elu).active);
      }
    }
    pool[TRACING] = true;
    await run();
    spans = pool.timeline().count;
    const [mOn, mOff, bOn, bOff] = [median(wall.on), median(wall.off), Math.min(...wall.on), Math.min(...wall.off)];
    const share = (spans * ns) / 1e6 / mOn;
    console.log(
      `| ${name} | ${spans} | ${mOff.toFixed(2)} / ${bOff.toFixed(2)} | ${mOn.toFixed(2)} / ${bOn.toFixed(2)} | ${pct(mOn, mOff)} | ${pct(bOn, bOff)} | ` +
        `${median(busy.off).toFixed(2)} / ${median(busy.on).toFixed(2)} | ${(share * 100).toFixed(3)}% |`,
    );
  }
  await pool.terminate();
}

void main();
