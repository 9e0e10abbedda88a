import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import { NotShippableError } from "../errors";
import { resolveLocalTypeScript } from "./local-typescript";
import { requireCache, requireFrom } from "./node-require";
import type { CompiledModule } from "./payload";

/** The part of the TypeScript compiler API used here. */
interface TypeScriptApi {
  transpileModule(input: string, options: { fileName: string; compilerOptions: Record<string, unknown> }): { outputText: string };
  ModuleKind: { CommonJS: number };
  ScriptTarget: { ES2022: number };
  JsxEmit: { React: number };
}

const compiled = new Map<string, { mtimeMs: number; module: CompiledModule; deps: string[] }>();

/**
 * Compiles a local TypeScript file (and the local TypeScript files it imports) to CommonJS, on the
 * kernel side: workers have no TypeScript loader. Cached by file and modification time.
 */
export function compileTypeScript(file: string, baseDir: string): CompiledModule[] {
  const out = new Map<string, CompiledModule>();
  const visit = (f: string): void => {
    if (out.has(f)) return;
    const entry = compileOne(f, baseDir);
    out.set(f, entry.module);
    for (const dep of entry.deps) visit(dep);
  };
  visit(file);
  return [...out.values()];
}

function compileOne(file: string, baseDir: string): { module: CompiledModule; deps: string[] } {
  const mtimeMs = statSync(file).mtimeMs;
  const hit = compiled.get(file);
  if (hit?.mtimeMs === mtimeMs) return hit;
  const ts = findTypeScript(baseDir);
  const code = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      jsx: ts.JsxEmit.React,
      sourceMap: false,
      inlineSourceMap: false,
    },
  }).outputText;
  const entry = { mtimeMs, module: { path: file, code }, deps: localTypeScriptImports(code, path.dirname(file)) };
  compiled.set(file, entry);
  return entry;
}

/** `require("./x")` calls in compiled code that lead to local TypeScript files. */
function localTypeScriptImports(code: string, dir: string): string[] {
  const deps: string[] = [];
  let program: acorn.Program;
  try {
    program = acorn.parse(code, { ecmaVersion: "latest", sourceType: "script" });
  } catch {
    return deps;
  }
  walk.simple(program, {
    CallExpression(node) {
      const [arg] = node.arguments;
      if (node.callee.type !== "Identifier" || node.callee.name !== "require" || arg?.type !== "Literal") return;
      if (typeof arg.value !== "string" || !arg.value.startsWith(".")) return;
      const ts = resolveLocalTypeScript(path.resolve(dir, arg.value));
      if (ts) deps.push(ts);
    },
  });
  return deps;
}

let typescript: TypeScriptApi | undefined;

function findTypeScript(baseDir: string): TypeScriptApi {
  if (typescript) return typescript;
  // Inside tslab the kernel's own compiler is already loaded: reuse it rather than load a second one.
  for (const [key, mod] of Object.entries(requireCache())) {
    if (mod && /[\\/]@tslab[\\/]typescript-for-tslab[\\/]lib[\\/]typescript\.js$/.test(key)) {
      return (typescript = mod.exports as TypeScriptApi);
    }
  }
  for (const from of [baseDir, __dirname]) {
    try {
      return (typescript = requireFrom(from)("typescript") as TypeScriptApi);
    } catch {
      // try the next place
    }
  }
  throw new NotShippableError(
    "Shipping a TypeScript module to workers needs the TypeScript compiler, and none was found. " +
      "Install it next to the notebook (npm install typescript), or compile the module to JavaScript.",
    // Which function needed the module is not known down here: only the reason.
    { reason: "no-typescript" },
  );
}
