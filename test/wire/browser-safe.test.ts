import { join } from "node:path";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");
const WIRE_RULES = ["@typescript-eslint/no-restricted-imports", "no-restricted-globals", "no-restricted-properties", "no-restricted-syntax"];

/** The project's own lint rules for a file at `path` (relative to the root), as eslint.config.mjs resolves them. */
async function rulesFor(path: string): Promise<Partial<Linter.RulesRecord>> {
  const config = (await new ESLint({ cwd: root }).calculateConfigForFile(join(root, path))) as Linter.Config;
  return config.rules ?? {};
}

/**
 * Lints `code` with the browser-safety rules eslint.config.mjs gives src/wire/ (taken from the real
 * config, not copied), without type information: the project-wide typed lint costs ~10 s a run.
 */
async function wireProblems(code: string): Promise<string[]> {
  const rules = await rulesFor("src/wire/mime.ts");
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: {
      files: ["**/*.ts"],
      languageOptions: { parser: tseslint.parser },
      plugins: { "@typescript-eslint": tseslint.plugin as unknown as ESLint.Plugin },
      rules: Object.fromEntries(WIRE_RULES.map((name) => [name, rules[name]])),
    },
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, "src", "wire", "fixture.ts") });
  return result!.messages.map((m) => `${m.line}: ${m.message}`);
}

describe("src/wire/ is browser-safe (eslint.config.mjs)", () => {
  it("turns the browser-safety rules on for src/wire/ and only there", async () => {
    const wire = await rulesFor("src/wire/format.ts");
    const display = await rulesFor("src/display/show.ts");
    for (const name of WIRE_RULES) {
      expect([wire[name]].flat()[0], name).toBe(2);
      expect(display[name], name).toBeUndefined();
    }
  });

  it("fails on Node modules, however they are imported", async () => {
    const problems = await wireProblems(
      [
        'import { readFileSync } from "node:fs";',
        'import * as path from "path";',
        'import type { Stats } from "fs/promises";',
        'export const load = () => import("node:os");',
        'export const spawn = () => import("child_process");',
        "export const used = [readFileSync, path] as unknown as Stats;",
      ].join("\n"),
    );
    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.split(":")[0])).toEqual(["1", "2", "3", "4", "5"]);
    expect(problems[0]).toMatch(/src\/wire\/ runs in the browser/);
  });

  it("fails on Node-only globals, bare or through globalThis", async () => {
    const names = ["process.pid", "Buffer.from('x')", "require('x')", "__dirname", "__filename", "global", "setImmediate", "globalThis.process"];
    const problems = await wireProblems(names.map((n, i) => `export const v${i} = ${n};`).join("\n"));
    // `require(…)` is reported as a global; every line has at least one report.
    expect(new Set(problems.map((p) => p.split(":")[0]))).toEqual(new Set(names.map((_, i) => String(i + 1))));
    expect(problems.join("\n")).toMatch(/`process` is a Node-only global/);
  });

  it("fails on imports from the rest of src/, which may bring Node in behind them", async () => {
    expect(await wireProblems('import { show } from "../display/show";\nexport const s = show;')).toEqual([
      expect.stringMatching(/^1: .*import only from src\/wire\/ itself/),
    ]);
  });

  it("lets browser-safe code through: imports inside the folder, browser globals", async () => {
    const code = [
      'import { formatMs } from "./format";',
      'export const load = () => import("./mime");',
      "export const t = [formatMs(performance.now()), globalThis.structuredClone, setTimeout, queueMicrotask, new TextEncoder()];",
    ].join("\n");
    expect(await wireProblems(code)).toEqual([]);
  });
});
