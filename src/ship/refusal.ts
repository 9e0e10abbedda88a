import { NotShippableError, type NotShippableReason } from "../errors";

/** One step from the shipped function to a problem: a function, the variable it refers to, and the line. */
export interface Site {
  /** Name of the function (being shipped, or shipped along) that refers to the variable. */
  readonly fn: string;
  readonly variable: string;
  /** 1-based line in the function's source, and that line's text. */
  readonly line?: number | undefined;
  readonly snippet?: string | undefined;
  /** Where inside the variable's value the next step was found (`conn._events.end`). */
  via?: string | undefined;
}

/** Line number and text of `offset` in `source`. */
export function lineAt(source: string, offset: number): { line: number; snippet: string } {
  const before = source.slice(0, Math.max(0, offset));
  const line = before.split("\n").length;
  const text = (source.split("\n")[line - 1] ?? "").trim();
  return { line, snippet: text.length > 80 ? `${text.slice(0, 77)}...` : text };
}

/** `fn` in the message and fixes: the function's own name when it has one. */
export function fnLabel(name: string): string {
  return ownName(name) ?? "fn";
}

/** A function's own name; `undefined` for an anonymous one (`new Function` ones are named "anonymous"). */
function ownName(name: string): string | undefined {
  return name && name !== "anonymous" ? name : undefined;
}

/** The error, with the fields a program reads; `root` is the root function's `name` as is. */
function refusal(message: string, reason: NotShippableReason, root: string, names: readonly string[]): NotShippableError {
  return new NotShippableError(message, { reason, functionName: ownName(root), names });
}

/** The variable at fault when a value or function cannot cross: the last one on the path to it. */
function culprit(trail: readonly Site[]): string[] {
  const last = trail[trail.length - 1];
  return last ? [last.variable] : [];
}

function at(site: Site): string {
  return site.line !== undefined ? ` (line ${site.line} of \`${site.fn}\`: \`${site.snippet ?? ""}\`)` : ` (in \`${site.fn}\`)`;
}

/** "it refers to `a` (line …), which at `a.b` holds `g`, which refers to `c` (line …)". */
function chain(trail: readonly Site[]): string {
  return trail
    .map((s, i) => {
      const head = i === 0 ? "it refers to" : "which refers to";
      const via = s.via && i < trail.length - 1 ? `, which at \`${s.via}\` holds a function` : "";
      return `${head} \`${s.variable}\`${at(s)}${via}`;
    })
    .join(", ");
}

const MODULE_FIX = (fn: string): string =>
  `or move the code into a module and pass { module: "./tasks.js", name: "${fnLabel(fn)}" } instead of the function`;

/** A function refers to names Lanes cannot find a value for. `root`: the root function's `name`. */
export function unresolvedNames(root: string, trail: readonly Site[], missing: readonly Site[]): NotShippableError {
  const names = missing.map((s) => s.variable);
  const list = missing.map((s) => `\`${s.variable}\`${at(s)}`).join(", ");
  const lead = trail.length > 0 ? `${chain(trail)}, which refers to ${list}` : `it refers to ${list}`;
  return refusal(
    `Cannot ship \`${fnLabel(root)}\` to a worker: ${lead}, which Lanes cannot find ` +
      `(not a notebook top-level name, an imported module, a global, or a closure variable it can read). ` +
      `Fix: pass ${names.length > 1 ? "them" : "it"} explicitly with { context: { ${names.join(", ")} } } in the call's options, ` +
      `${MODULE_FIX(root)}.`,
    "free-variables",
    root,
    names,
  );
}

/**
 * A value a function refers to cannot cross into a worker. `trail` ends with the variable holding it;
 * `reason` is `"not-cloneable"` unless the value is refused for another cause.
 */
export function unshippableValue(
  root: string,
  trail: readonly Site[],
  path: string,
  problem: string,
  fix?: string,
  reason: NotShippableReason = "not-cloneable",
): NotShippableError {
  const last = trail[trail.length - 1];
  const where = last && path && path !== last.variable ? ` at \`${path}\`` : "";
  return refusal(
    `Cannot ship \`${fnLabel(root)}\` to a worker: ${chain(trail)}${where}: ${problem}. ` +
      `Fix: ${fix ?? `create it inside the function (each worker needs its own), pass plain data with { context: { … } }, ${MODULE_FIX(root)}`}.`,
    reason,
    root,
    culprit(trail),
  );
}

/**
 * A function cannot be shipped (native, bound, uses an outer `this`): the root one when `trail` is
 * empty, else the one the last variable of `trail` holds.
 */
export function unshippableFunction(reason: NotShippableReason, root: string, trail: readonly Site[], fn: string, problem: string, fix: string): NotShippableError {
  const lead = trail.length > 0 ? `${chain(trail)}, which is \`${fn}\`: ${problem}` : `it is ${problem}`;
  return refusal(`Cannot ship \`${fnLabel(root)}\` to a worker: ${lead}. Fix: ${fix}.`, reason, root, culprit(trail));
}

/** A short description of a value's kind for messages: "a Socket", "a Promise", "a symbol". */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object" && typeof value !== "function") return `a ${typeof value}`;
  if (typeof value === "function") return `the function \`${value.name || "(anonymous)"}\``;
  const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor;
  const name = ctor?.name ?? Object.prototype.toString.call(value).slice(8, -1);
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}
