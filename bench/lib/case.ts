/**
 * The shape of one benchmark: a file in bench/cases/ whose default export is `defineCase({ … })`.
 * bench/run.mjs finds it, runs it in a process of its own, and puts it in the report.
 */
import type { PeerKind } from "./result";

export interface Context {
  /** `--quick`: tiny sizes and one run; the code paths all run, the figures mean nothing. */
  quick: boolean;
  /** Timed runs per runner (after the plan's warm-up runs, one unless it says more). */
  runs: number;
  /** Worker threads (or processes) every pool gets: the same for Lanes and its peers. */
  workers: number;
  /** The project root. */
  root: string;
  /** `full` normally, `quick` with --quick. */
  size(full: number, quick: number): number;
}

/** A runner that is timed here: `run` is the body on the clock. */
export interface Timed {
  /** The timed body. Its result (after the warm-up run) goes to the case's `check`. */
  run(): unknown;
  /** Untimed, after every run: e.g. stop the pool a start-up run started. */
  after?(): unknown;
  /** Stops what `prepare` started. */
  close?(): unknown;
}

/** A runner that times itself (another process): `measure` returns the seconds of one timed run. */
export interface SelfTimed {
  measure(): Promise<number>;
  close?(): unknown;
}

export interface Runner {
  name: string;
  peer: PeerKind;
  /** The Lanes runner this one is compared with. @default the plan's subject */
  vs?: string;
  /** Items per run when this runner runs fewer than the plan's `items` (figures are then per item). */
  items?: number;
  /** Timed bodies this short are repeated `inner` times per sample (the sample is the mean). @default 1 */
  inner?: number;
  /** Starts what must be running before the clock starts (pools, inputs). */
  prepare(): Timed | SelfTimed | Promise<Timed | SelfTimed>;
  /** Set when the runner cannot run here (e.g. no Python): it is reported as skipped. */
  skip?: string;
}

/** A speed goal (issue 3's targets), checked in the report, never in tests. */
export interface Target {
  text: string;
  /** The Lanes runner. @default the plan's subject */
  lanes?: string;
  /** The runner it is measured against. */
  against: string;
  /** Lanes vs `against` (time per item ratio) must be at least this. */
  atLeast?: number;
  /** Lanes' median may exceed `against`'s by at most this many seconds. */
  withinSeconds?: number;
}

export interface Plan {
  /** Items per run. */
  items: number;
  /** The name of the Lanes runner every peer is compared with. */
  subject: string;
  runners: Runner[];
  /** Said under the table: what was left out and why, how a peer differs. */
  notes?: string[];
  /** Throws if a runner's warm-up result is wrong: every peer must compute the same thing. */
  check?(output: unknown, runner: string): void;
  /** Speed goals shown with the results. */
  targets?: Target[];
  /** Timed runs per runner, when this case needs more than the default (cheap, noisy bodies). */
  runs?: number;
  /**
   * Untimed runs per timed runner before the timed ones (the first one's result is checked), for
   * bodies whose threads take several runs to reach their steady speed (JIT in many threads at once).
   * One with --quick. @default 1
   */
  warmups?: number;
}

export interface BenchCase {
  title: string;
  /** `items`: throughput (items/s); `op`: the time of one operation (start-up, shipping). */
  unit: "items" | "op";
  /** Position in the report, lowest first. */
  order: number;
  plan(ctx: Context): Plan | Promise<Plan>;
}

/** Identity: gives a case file its type. */
export function defineCase(c: BenchCase): BenchCase {
  return c;
}
