/** The markdown report: a summary of ratios (Lanes vs each peer), then one table per case. */
import { cell, formatRate, formatRatio, formatSeconds } from "./format";
import type { BenchReport, CaseResult, PeerKind, RunnerResult, TargetDef } from "./result";
import { ratio } from "./stats";

/** The peers of the summary, in column order. */
export const PEERS: readonly { kind: PeerKind; label: string }[] = [
  { kind: "serial", label: "serial loop" },
  { kind: "threads", label: "bare threads, static split" },
  { kind: "piscina", label: "piscina, run() per item" },
  { kind: "piscina-chunked", label: "piscina, hand-chunked" },
  { kind: "workerpool", label: "workerpool, exec() per item" },
  { kind: "workerpool-chunked", label: "workerpool, hand-chunked" },
  { kind: "messageport", label: "MessagePort postMessage" },
  { kind: "python", label: "Python multiprocessing" },
  { kind: "bullmq", label: "BullMQ, one job per item" },
];

type Measured = RunnerResult & { median: number };

function measured(r: RunnerResult | undefined): r is Measured {
  return r !== undefined && typeof r.median === "number" && r.error === undefined;
}

/** Lanes vs `peer`: how many times faster the Lanes runner `peer.vs` is, or undefined. */
export function pairRatio(c: CaseResult, peer: RunnerResult): number | undefined {
  const lanes = c.runners.find((r) => r.name === peer.vs);
  if (!measured(lanes) || !measured(peer) || lanes === peer) return undefined;
  return ratio(lanes, peer);
}

export interface SummaryEntry {
  caseTitle: string;
  peer: PeerKind;
  peerLabel: string;
  runner: string;
  vs: string;
  ratio: number;
}

/** The first runner of each peer kind in each case, paired with its Lanes runner. */
export function summaryEntries(report: BenchReport): SummaryEntry[] {
  const out: SummaryEntry[] = [];
  for (const c of sorted(report.cases)) {
    for (const p of PEERS) {
      const r = c.runners.find((x) => x.peer === p.kind);
      const q = r && pairRatio(c, r);
      if (r && q !== undefined) out.push({ caseTitle: c.title, peer: p.kind, peerLabel: p.label, runner: r.name, vs: r.vs, ratio: q });
    }
  }
  return out;
}

function sorted(cases: readonly CaseResult[]): CaseResult[] {
  return [...cases].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

export function summaryTable(report: BenchReport): string {
  const cols = PEERS.filter((p) => report.cases.some((c) => c.runners.some((r) => r.peer === p.kind)));
  const lines = [`| benchmark | ${cols.map((p) => `vs ${p.label}`).join(" | ")} |`, `|---|${cols.map(() => "---:").join("|")}|`];
  for (const c of sorted(report.cases)) {
    const cells = cols.map((p) => {
      const r = c.runners.find((x) => x.peer === p.kind);
      if (!r) return "";
      const q = pairRatio(c, r);
      return q === undefined ? (r.skipped ? "skipped" : r.error ? "failed" : "—") : formatRatio(q);
    });
    if (cells.every((x) => x === "")) continue;
    lines.push(`| ${cell(c.title)} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

export function caseTable(c: CaseResult): string {
  const rate = c.unit === "items";
  const head = rate
    ? ["runner", "median", "min", "max", "items/s (median)", "Lanes vs this"]
    : ["runner", "median", "min", "max", "Lanes vs this"];
  const lines = [`| ${head.join(" | ")} |`, `|---|${head.slice(1).map(() => "---:").join("|")}|`];
  for (const r of c.runners) {
    const name = r.items !== c.items ? `${r.name} (${r.items} items)` : r.name;
    if (!measured(r)) {
      const why = r.skipped ? `skipped: ${r.skipped}` : r.error ? `failed: ${r.error.split("\n")[0] ?? ""}` : "no samples";
      lines.push(`| ${cell(name)} | ${cell(why)} |${head.slice(2).map(() => " |").join("")}`);
      continue;
    }
    const q = pairRatio(c, r);
    const vs = q === undefined ? "—" : r.vs === c.subject ? formatRatio(q) : `${formatRatio(q)} (vs ${r.vs})`;
    const row = [cell(name), formatSeconds(r.median), formatSeconds(r.min ?? NaN), formatSeconds(r.max ?? NaN)];
    if (rate) row.push(formatRate(r.items / r.median));
    row.push(cell(vs));
    lines.push(`| ${row.join(" | ")} |`);
  }
  return lines.join("\n");
}

export interface TargetCheck {
  caseTitle: string;
  text: string;
  /** null: not measured (a runner skipped or failed). */
  met: boolean | null;
  actual: string;
}

export function checkTarget(c: CaseResult, t: TargetDef): TargetCheck {
  const lanes = c.runners.find((r) => r.name === (t.lanes ?? c.subject));
  const peer = c.runners.find((r) => r.name === t.against);
  const base = { caseTitle: c.title, text: t.text };
  if (!measured(lanes) || !measured(peer)) return { ...base, met: null, actual: "not measured" };
  if (t.withinSeconds !== undefined) {
    const d = lanes.median - peer.median;
    return { ...base, met: d <= t.withinSeconds, actual: `${d >= 0 ? "+" : "−"}${formatSeconds(Math.abs(d))} (${formatSeconds(lanes.median)} vs ${formatSeconds(peer.median)})` };
  }
  const q = ratio(lanes, peer);
  return { ...base, met: q >= (t.atLeast ?? 1), actual: formatRatio(q) };
}

export function targetsTable(report: BenchReport): string {
  const checks = sorted(report.cases).flatMap((c) => (c.targets ?? []).map((t) => checkTarget(c, t)));
  if (checks.length === 0) return "";
  const lines = ["| benchmark | target | measured | met |", "|---|---|---:|:---:|"];
  for (const k of checks) lines.push(`| ${cell(k.caseTitle)} | ${cell(k.text)} | ${cell(k.actual)} | ${k.met === null ? "?" : k.met ? "yes" : "**no**"} |`);
  return lines.join("\n");
}

function machineLines(report: BenchReport): string[] {
  const m = report.machine;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(" / ");
  return [
    `- ${m.cpus} CPUs (${m.availableParallelism} available to Node), ${cell(m.cpuModel)}, ${m.totalMemGiB.toFixed(1)} GiB, ${m.platform}`,
    `- every pool has ${m.workers} workers; Node ${m.node}; ${m.python ?? "no Python"}`,
    `- load average (1 / 5 / 15 min): ${load(m.loadBefore)} before, ${load(m.loadAfter)} after` +
      (Math.max(...m.loadBefore, ...m.loadAfter) > m.cpus * 0.5 ? " — a busy, shared machine: expect noise" : ""),
    `- ${report.runs} timed runs per figure after one warm-up, or the case's own count said under its table (median, min, max)${report.quick ? "; --quick: tiny sizes, figures mean nothing" : ""}` +
      (m.commit ? `; commit ${m.commit}` : ""),
  ];
}

export function renderMarkdown(report: BenchReport): string {
  const out = [
    `# Lanes benchmarks, ${report.date}`,
    "",
    ...machineLines(report),
    "",
    "## Lanes vs each peer",
    "",
    "Each peer's median time per item divided by Lanes' (Lanes = `Pool.map`, or the runner named in the case's table); above 1× Lanes is faster.",
    "",
    summaryTable(report),
  ];
  const targets = targetsTable(report);
  if (targets) out.push("", "## Speed targets (issue 3)", "", targets);
  for (const c of sorted(report.cases)) {
    out.push("", `## ${c.title}`, "");
    if (c.error) out.push(`**Failed:** ${cell(c.error.split("\n")[0] ?? "")}`, "");
    if (c.runners.length > 0) out.push(caseTable(c));
    if (c.notes.length > 0) out.push("", ...c.notes.map((n) => `- ${n}`));
  }
  return out.join("\n") + "\n";
}
