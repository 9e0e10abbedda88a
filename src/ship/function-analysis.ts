/**
 * A function's source and the free names in it, parsed once: parsing is the dear part of shipping,
 * and a source text never changes meaning, so analyses are cached by text (a re-run cell or an inline
 * arrow makes new function objects with the same text) and by function.
 */
import { analyzeFreeNames, type FreeNameAnalysis } from "./free-names";
import { functionSource, type FunctionSource, type NoSource } from "./function-source";

export interface Analysed {
  readonly source: FunctionSource | NoSource;
  readonly analysis: FreeNameAnalysis;
}

const analyses = new Map<string, Analysed>();
const MAX_ANALYSES = 1000;
const analysedFunctions = new WeakMap<object, Analysed>();

const EMPTY: FreeNameAnalysis = { free: new Map(), freeThis: false, freeSuper: false, privateNames: false };

/** The source of `fn` and what it refers to; a native function has no source, and nothing to analyse. */
export function analyse(fn: (...args: never[]) => unknown): Analysed {
  let analysed = analysedFunctions.get(fn);
  if (analysed) return analysed;
  const text = Function.prototype.toString.call(fn);
  analysed = analyses.get(text);
  if (!analysed) {
    const source = functionSource(fn);
    if (source.kind === "native") {
      // Not shared by text: whether a native function is bound shows in its name, not its text.
      analysed = { source, analysis: EMPTY };
    } else {
      analysed = { source, analysis: analyzeFreeNames(source.expression) };
      if (analyses.size >= MAX_ANALYSES) analyses.delete(analyses.keys().next().value as string);
      analyses.set(text, analysed);
    }
  }
  analysedFunctions.set(fn, analysed);
  return analysed;
}
