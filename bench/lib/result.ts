/** What a benchmark run writes to bench/results/<date>.json: one shape, read by the report and the plot. */

/** Who a runner stands for. Ratios pair the subject (Lanes) with each peer. */
export type PeerKind = "lanes" | "serial" | "threads" | "piscina" | "piscina-chunked" | "workerpool" | "workerpool-chunked" | "messageport" | "python" | "bullmq";

export interface RunnerResult {
  name: string;
  peer: PeerKind;
  /** The Lanes runner this one is compared with (the case's subject unless said otherwise). */
  vs: string;
  /** Items per run (a peer may run a subset: its figures are then per item). */
  items: number;
  /** Seconds per run (per operation for `op` cases); empty when skipped or failed. */
  samples: number[];
  median?: number;
  min?: number;
  max?: number;
  skipped?: string;
  error?: string;
}

export interface TargetDef {
  text: string;
  lanes?: string;
  against: string;
  atLeast?: number;
  withinSeconds?: number;
}

export interface CaseResult {
  id: string;
  title: string;
  order: number;
  /** `items`: throughput over `items` per run; `op`: time of one operation. */
  unit: "items" | "op";
  items: number;
  subject: string;
  notes: string[];
  runners: RunnerResult[];
  targets?: TargetDef[];
  /** Wall-clock seconds the whole case took, warm-up and set-up included. */
  wallSeconds: number;
  error?: string;
}

export interface Machine {
  cpus: number;
  availableParallelism: number;
  cpuModel: string;
  platform: string;
  totalMemGiB: number;
  loadBefore: number[];
  loadAfter: number[];
  node: string;
  python: string | null;
  workers: number;
  commit: string | null;
}

export interface BenchReport {
  schema: 1;
  date: string;
  startedAt: string;
  quick: boolean;
  runs: number;
  /** Set for `--only` runs: the cases run (the rest were not). */
  only?: string[];
  machine: Machine;
  cases: CaseResult[];
}
