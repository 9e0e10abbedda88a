/**
 * Runs one case file in a process of its own (started by bench/run.mjs) and writes its CaseResult as
 * JSON. Runners take turns round by round, so a burst of load on this shared machine lands on all
 * of them rather than on one.
 *
 *   node dist/bench/lib/child.js CASE.js OUT.json --root DIR --runs N --workers N [--quick]
 */
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { BenchCase, Context, Runner, SelfTimed, Timed } from "./case";
import type { CaseResult, RunnerResult } from "./result";
import { summarize } from "./stats";
import { formatSeconds } from "./format";

interface Live {
  runner: Runner;
  result: RunnerResult;
  body?: Timed | SelfTimed;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function isSelfTimed(b: Timed | SelfTimed): b is SelfTimed {
  return typeof (b as SelfTimed).measure === "function";
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === "object" || typeof x === "function") && x !== null && typeof (x as { then?: unknown }).then === "function";
}

function message(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Seconds of one sample: the timed body `inner` times, each awaited only when it returns a thenable (an await costs a tick, which matters for µs bodies). */
async function sample(body: Timed | SelfTimed, inner: number): Promise<number> {
  if (isSelfTimed(body)) return body.measure();
  let total = 0;
  for (let i = 0; i < inner; i++) {
    const t = performance.now();
    const out = body.run();
    // Thenables too: workerpool's promises are its own.
    if (isThenable(out)) await out;
    total += performance.now() - t;
    const after = body.after?.();
    if (isThenable(after)) await after;
  }
  return total / inner / 1000;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const [caseFile, outFile] = args;
  if (!caseFile || !outFile) throw new Error("usage: child.js CASE.js OUT.json --root DIR --runs N --workers N [--quick]");
  const quick = args.includes("--quick");
  const ctx: Context = {
    quick,
    runs: Number(flag(args, "--runs") ?? (quick ? 1 : 5)),
    workers: Number(flag(args, "--workers") ?? 2),
    root: flag(args, "--root") ?? process.cwd(),
    size: (full, small) => (quick ? small : full),
  };
  const id = basename(caseFile).replace(/\.js$/, "");
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the case file is found at run time
  const c = (require(caseFile) as { default: BenchCase }).default;
  const plan = await c.plan(ctx);
  const runs = quick ? ctx.runs : Math.max(ctx.runs, plan.runs ?? 0);
  const result: CaseResult = { id, title: c.title, order: c.order, unit: c.unit, items: plan.items, subject: plan.subject, notes: plan.notes ?? [], runners: [], wallSeconds: 0, ...(plan.targets ? { targets: plan.targets } : {}) };
  const log = (s: string): boolean => process.stderr.write(`  ${id} · ${s}\n`);

  const live: Live[] = plan.runners.map((runner) => ({
    runner,
    result: { name: runner.name, peer: runner.peer, vs: runner.vs ?? plan.subject, items: runner.items ?? plan.items, samples: [], ...(runner.skip ? { skipped: runner.skip } : {}) },
  }));
  result.runners = live.map((l) => l.result);
  if (!live.some((l) => l.runner.name === plan.subject)) throw new Error(`${id}: subject "${plan.subject}" is not one of its runners`);

  const fail = (l: Live, e: unknown): void => {
    l.result.error = message(e);
    log(`${l.runner.name}: FAILED ${l.result.error}`);
  };
  // Pools start side by side (off the clock); warm-ups then run one after another.
  await Promise.all(
    live.map(async (l) => {
      if (l.result.skipped) return;
      try {
        l.body = await l.runner.prepare();
      } catch (e) {
        fail(l, e);
      }
    }),
  );
  const warmups = quick ? 1 : Math.max(1, plan.warmups ?? 1);
  // Warm-ups: JIT, worker start, function shipping caches; the first one's answer is checked. Round
  // by round, like the timed runs, so every runner warms up beside the same others.
  for (let w = 0; w < warmups; w++) {
    for (const l of live) {
      if (!l.body || isSelfTimed(l.body) || l.result.error) continue;
      try {
        const out = await l.body.run();
        await l.body.after?.();
        if (w === 0) plan.check?.(out, l.runner.name);
      } catch (e) {
        fail(l, e);
      }
    }
  }
  for (let round = 0; round < runs; round++) {
    for (const l of live) {
      if (!l.body || l.result.error) continue;
      try {
        l.result.samples.push(await sample(l.body, l.runner.inner ?? 1));
      } catch (e) {
        fail(l, e);
      }
    }
  }
  for (const l of live) {
    try {
      await l.body?.close?.();
    } catch (e) {
      if (!l.result.error) fail(l, e);
    }
    if (l.result.samples.length > 0) {
      const s = summarize(l.result.samples);
      Object.assign(l.result, { median: s.median, min: s.min, max: s.max });
      log(`${l.runner.name}: ${formatSeconds(s.median)} (${formatSeconds(s.min)}–${formatSeconds(s.max)})`);
    } else if (l.result.skipped) log(`${l.runner.name}: skipped (${l.result.skipped})`);
  }
  result.wallSeconds = (performance.now() - started) / 1000;
  const failed = live.filter((l) => l.result.error);
  if (failed.length > 0) result.error = `${failed.length} runner(s) failed: ${failed.map((l) => l.runner.name).join(", ")}`;
  writeFileSync(outFile, JSON.stringify(result, null, 2));
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${message(e)}\n`);
    process.exit(1);
  },
);
