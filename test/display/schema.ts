/**
 * Hand-written schema checks of the two payloads: every field the extension reads, with its type and
 * its invariants. Returns the list of problems (empty when the payload is valid).
 */
import type { TablePayloadV1, TimelinePayloadV1 } from "../../src/wire/mime";

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isInt = (x: unknown): x is number => Number.isInteger(x);
const intArray = (x: unknown, n?: number): boolean => Array.isArray(x) && x.every(isInt) && (n === undefined || x.length === n);

export function timelineProblems(p: unknown): string[] {
  const out: string[] = [];
  const t = p as TimelinePayloadV1;
  if (t?.version !== 1) out.push("version must be 1");
  if (!isNum(t.origin)) out.push("origin must be a number");
  if (!Array.isArray(t.calls) || !t.calls.every((c) => typeof c === "string")) out.push("calls must be strings");
  if (!isInt(t.workers) || t.workers < 0) out.push("workers must be a count");
  if (typeof t.live !== "boolean") out.push("live must be boolean");
  if (!isInt(t.done) || !isInt(t.total) || t.done > t.total) out.push("done/total must be counts, done ≤ total");
  if (!isInt(t.omittedSpans) || t.omittedSpans < 0) out.push("omittedSpans must be a count");
  const s = t.spans;
  if (typeof s !== "object" || s === null || !isInt(s.count)) out.push("spans.count must be an integer");
  else {
    for (const k of ["worker", "queued", "started", "duration", "items"] as const) if (!intArray(s[k], s.count)) out.push(`spans.${k} must be ${s.count} integers`);
    if (typeof s.outcome !== "string" || s.outcome.length !== s.count || !/^[oecrq]*$/.test(s.outcome)) out.push("spans.outcome must be one code per span");
    for (const k of ["callRuns", "threads", "itemJumps", "errors"] as const) if (!intArray(s[k]) || s[k].length % 2 !== 0) out.push(`spans.${k} must be pairs of integers`);
    if (intArray(s.callRuns) && s.callRuns.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0) !== s.count) out.push("spans.callRuns must cover every span");
    if (!Array.isArray(s.errorNames) || !s.errorNames.every((e) => typeof e === "string")) out.push("spans.errorNames must be strings");
    if (s.exitCodes !== undefined && (!intArray(s.exitCodes) || s.exitCodes.length % 2 !== 0)) out.push("spans.exitCodes, when present, must be pairs of integers");
    if (s.duration.some((d) => d < -2)) out.push("spans.duration must be ≥ 0, or -1/-2");
  }
  const m = t.summary;
  if (typeof m !== "object" || m === null) out.push("summary missing");
  else {
    for (const k of ["wallMs", "parallelism", "serialEstimateMs", "speedup", "queueWaitMs"] as const) if (!isNum(m[k]) || m[k] < 0) out.push(`summary.${k} must be a number ≥ 0`);
    if (!Array.isArray(m.busy) || !m.busy.every((b) => isNum(b) && b >= 0 && b <= 1)) out.push("summary.busy must be fractions");
    if (!isInt(m.errors)) out.push("summary.errors must be a count");
  }
  // Added after v1 shipped: optional, so older payloads (without them) stay valid.
  const w = t.waits;
  if (w !== undefined) {
    if (!isInt(w.count)) out.push("waits.count must be an integer");
    else {
      for (const k of ["lane", "start", "duration", "object"] as const) if (!intArray(w[k], w.count)) out.push(`waits.${k} must be ${w.count} integers`);
      if (typeof w.kind !== "string" || w.kind.length !== w.count || !/^[lrsbcea]*$/.test(w.kind)) out.push("waits.kind must be one code per wait");
      if (intArray(w.duration) && w.duration.some((d) => d < 0)) out.push("waits.duration must be ≥ 0");
      if (intArray(w.lane) && w.lane.some((l) => l < -1)) out.push("waits.lane must be a worker lane or -1 (the kernel)");
    }
  }
  if (t.tracks !== undefined) {
    if (!Array.isArray(t.tracks)) out.push("tracks must be an array");
    else
      for (const tr of t.tracks) {
        if (typeof tr.name !== "string" || !isInt(tr.maxsize) || !isNum(tr.everyMs)) out.push("a track needs a name, maxsize and everyMs");
        if (!intArray(tr.t) || !intArray(tr.depth, tr.t.length)) out.push("a track needs as many depths as times, integers");
      }
  }
  if (t.laneLabels !== undefined && (!Array.isArray(t.laneLabels) || !t.laneLabels.every((l) => typeof l === "string"))) out.push("laneLabels must be strings");
  if (t.kind !== undefined && t.kind !== "pool" && t.kind !== "processes") out.push(`kind ${String(t.kind)} unknown`);
  if (t.live && (typeof t.progress !== "object" || !Array.isArray(t.progress.lanes) || !isNum(t.progress.ratePerSec))) out.push("a live payload needs progress");
  if (JSON.stringify(JSON.parse(JSON.stringify(p))) !== JSON.stringify(p)) out.push("payload must survive JSON");
  return out;
}

export function tableProblems(p: unknown): string[] {
  const out: string[] = [];
  const t = p as TablePayloadV1;
  if (t?.version !== 1) out.push("version must be 1");
  if (!Array.isArray(t.columns)) return [...out, "columns must be an array"];
  for (const c of t.columns) {
    if (typeof c.name !== "string") out.push("column name must be a string");
    if (!["number", "string", "boolean", "date", "other"].includes(c.type)) out.push(`column type ${String(c.type)} unknown`);
    const s = c.summary;
    if (s) {
      if (!isInt(s.nulls)) out.push(`${c.name}: summary.nulls must be a count`);
      if (s.histogram) {
        const { edges, counts } = s.histogram;
        if (edges.length !== counts.length + 1) out.push(`${c.name}: histogram needs counts.length + 1 edges`);
        if (!counts.every(isInt)) out.push(`${c.name}: histogram counts must be integers`);
      }
    }
  }
  if (!Array.isArray(t.rows) || !t.rows.every((r) => Array.isArray(r) && r.length === t.columns.length)) out.push("rows must be arrays of one cell per column");
  else if (!t.rows.every((r) => r.every((c) => c === null || ["string", "number", "boolean"].includes(typeof c)))) out.push("cells must be JSON scalars");
  if (!isInt(t.totalRows) || t.totalRows < t.rows.length) out.push("totalRows must be ≥ rows.length");
  if (!isInt(t.rowLimit) || t.rows.length > t.rowLimit) out.push("rows must respect rowLimit");
  if (JSON.stringify(JSON.parse(JSON.stringify(p))) !== JSON.stringify(p)) out.push("payload must survive JSON");
  return out;
}
