import type { BenchReport, CaseResult, RunnerResult } from "../../bench/lib/result";

export function runner(name: string, peer: RunnerResult["peer"], median: number, extra: Partial<RunnerResult> = {}): RunnerResult {
  return { name, peer, vs: "lanes pool.map", items: 100, samples: [median], median, min: median * 0.9, max: median * 1.2, ...extra };
}

export function caseResult(extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id: "tiny",
    title: "Tiny items",
    order: 1,
    unit: "items",
    items: 100,
    subject: "lanes pool.map",
    notes: [],
    wallSeconds: 1,
    runners: [
      runner("lanes pool.map", "lanes", 0.5),
      runner("serial loop", "serial", 1),
      runner("piscina, hand-chunked", "piscina-chunked", 0.25),
      runner("python Pool.map", "python", 2, { items: 50 }),
      runner("workerpool, hand-chunked", "workerpool-chunked", NaN, { samples: [], median: undefined, skipped: "not here" }),
    ],
    ...extra,
  };
}

export function report(cases: CaseResult[] = [caseResult()]): BenchReport {
  return {
    schema: 1,
    date: "2025-01-02",
    startedAt: "2025-01-02T03:04:05.000Z",
    quick: false,
    runs: 5,
    machine: {
      cpus: 2,
      availableParallelism: 2,
      cpuModel: "Test CPU",
      platform: "linux",
      totalMemGiB: 4,
      loadBefore: [0.5, 0.5, 0.5],
      loadAfter: [1.5, 1, 0.7],
      node: "v20.0.0",
      python: "Python 3.11.7",
      workers: 2,
      commit: "abc1234",
    },
    cases,
  };
}
