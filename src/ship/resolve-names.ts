/**
 * Where each free name of a shipped function gets its value; ./value-graph walks the values found.
 * In order: for the root function, an explicit `context` wins; then the function's closure (locals
 * of enclosing functions, script and module scope, read through the inspector: ./closure); tslab's
 * cell exports (earlier cells' top-level names: ./tslab); `require`; globals (standard ones are left
 * to the worker's own); and `context` again, for the functions shipped along with the root.
 */
import { readClosure } from "./closure";
import type { FreeNameAnalysis, FreeNameUse } from "./free-names";
import type { FunctionSource } from "./function-source";
import { STANDARD_GLOBALS } from "./globals";
import { fnLabel, lineAt, type Site } from "./refusal";
import { tslabExports } from "./tslab";

/** How one free name is bound in the worker. */
export type Binding =
  /** The worker's own `require`, resolving from the notebook's folder. */
  | { readonly kind: "require"; readonly name: string }
  /** tslab's cell exports (or a CommonJS module's `exports`): only the members the code reads are captured. */
  | { readonly kind: "exports"; readonly name: string; readonly site: Site; readonly exports: object; readonly use: FreeNameUse }
  /** Any other value: walked, and shipped as it must be. */
  | { readonly kind: "value"; readonly name: string; readonly site: Site; readonly value: unknown };

/** What `resolveFreeNames` found. */
export interface ResolvedNames {
  /** In name order; names the worker has of its own (standard globals, `typeof`-only uses) are left out. */
  readonly bindings: Binding[];
  /** Names found nowhere, where each is first used. */
  readonly missing: Site[];
}

/**
 * Resolves the free names `analysis` found in `fn` (named `name` in messages). `contextFirst` is true
 * for the root function: its `context` then wins over every other way of finding a name.
 */
export function resolveFreeNames(
  fn: object,
  name: string,
  source: FunctionSource,
  analysis: FreeNameAnalysis,
  context: Readonly<Record<string, unknown>> | undefined,
  contextFirst: boolean,
): ResolvedNames {
  const names = [...analysis.free.keys()].sort();
  const fromContext = (n: string): boolean => context !== undefined && Object.hasOwn(context, n);
  // The inspector is only asked when some name is neither given nor a standard global.
  const probe = names.filter((n) => !(contextFirst && fromContext(n)));
  const closure = probe.some((n) => !STANDARD_GLOBALS.has(n)) ? readClosure(fn, probe) : new Map<string, unknown>();
  const cells = tslabExports();

  const bindings: Binding[] = [];
  const missing: Site[] = [];
  for (const n of names) {
    const use = analysis.free.get(n);
    if (!use) continue;
    const first = use.positions[0];
    const where = first === undefined ? { line: undefined, snippet: undefined } : lineAt(source.original, source.toOriginalOffset(first));
    const site: Site = { fn: fnLabel(name), variable: n, line: where.line, snippet: where.snippet };

    let value: unknown;
    if (contextFirst && fromContext(n)) value = context?.[n];
    else if (closure?.has(n)) value = closure.get(n);
    else if (cells && Object.hasOwn(cells, n)) value = cells[n];
    else if (n === "exports" && cells) value = cells;
    else if (n === "require") {
      bindings.push({ kind: "require", name: n });
      continue;
    } else if (STANDARD_GLOBALS.has(n) || use.typeofOnly) continue;
    else if (n in globalThis) value = (globalThis as Record<string, unknown>)[n];
    else if (fromContext(n)) value = context?.[n];
    else {
      missing.push(site);
      continue;
    }

    if (n === "require" && typeof value === "function" && "resolve" in value) bindings.push({ kind: "require", name: n });
    else if (value !== null && typeof value === "object" && (value === cells || n === "exports")) bindings.push({ kind: "exports", name: n, site, exports: value, use });
    else bindings.push({ kind: "value", name: n, site, value });
  }
  return { bindings, missing };
}
