import * as acorn from "acorn";

/** A function's source, made into one expression that evaluates to an equivalent function. */
export interface FunctionSource {
  /** `function`, `arrow`, `class` or `method` (shorthand, getter or setter, rewritten as a function expression). */
  readonly kind: "function" | "arrow" | "class" | "method";
  /** A parenthesised expression: evaluating it gives the function (or class). */
  readonly expression: string;
  /** The text `fn.toString()` gave, for error messages. */
  readonly original: string;
  /** Maps an offset in `expression` back to one in `original`. */
  readonly toOriginalOffset: (offset: number) => number;
}

/** Why a function has no source that could be evaluated elsewhere. */
export type NoSource = { readonly kind: "native"; readonly bound: boolean; readonly original: string };

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

/**
 * Turns `fn.toString()` into an expression that can be evaluated on its own. Handles every source form
 * V8 prints: function declarations and expressions (async, generators), arrows, classes, and method
 * shorthand (`m(x) {…}`, `async *m() {…}`, `get p() {…}`, `[key]() {…}`), which is not an expression by
 * itself and becomes `(function (x) {…})`. Native and bound functions have no usable source.
 */
export function functionSource(fn: (...args: never[]) => unknown): FunctionSource | NoSource {
  const original = Function.prototype.toString.call(fn);
  if (NATIVE.test(original)) return { kind: "native", bound: fn.name.startsWith("bound "), original };

  const asExpression = `(${original}\n)`;
  const expr = tryParseExpression(asExpression);
  if (expr) {
    const kind = expr.type === "ArrowFunctionExpression" ? "arrow" : expr.type === "ClassExpression" ? "class" : "function";
    return { kind, expression: asExpression, original, toOriginalOffset: (o) => o - 1 };
  }

  // Method shorthand: parse it inside an object literal, then keep only `(params) { body }`.
  const inObject = `({${original}\n})`;
  const obj = tryParseExpression(inObject);
  const prop = obj?.type === "ObjectExpression" ? obj.properties[0] : undefined;
  if (prop?.type === "Property" && prop.value.type === "FunctionExpression") {
    const value = prop.value;
    const head = `(${value.async ? "async " : ""}function${value.generator ? "*" : ""} `;
    const cut = value.start - 2; // offset of `(params)` in `original`
    const expression = `${head}${original.slice(cut)}\n)`;
    return { kind: "method", expression, original, toOriginalOffset: (o) => o - head.length + cut };
  }
  throw new SyntaxError(`cannot read the source of function ${fn.name || "(anonymous)"}: ${original.slice(0, 80)}`);
}

function tryParseExpression(text: string): acorn.Expression | undefined {
  try {
    const program = acorn.parse(text, { ecmaVersion: "latest", sourceType: "script" });
    const only = program.body.length === 1 ? program.body[0] : undefined;
    return only?.type === "ExpressionStatement" ? only.expression : undefined;
  } catch {
    return undefined;
  }
}
