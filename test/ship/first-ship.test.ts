import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

/** Runs `code` in a fresh Node process (nothing loaded yet, as in a new kernel) and parses its JSON output. */
function fresh(code: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ["-e", code], { cwd: root, encoding: "utf8" }));
}

describe("what shipping loads (start-up cost)", () => {
  it("a worker's rebuilding path loads no parser or compiler", () => {
    const loaded = fresh(`
      require("./dist/ship/rebuild");
      require("./dist/pool/wire-error");
      console.log(JSON.stringify(Object.keys(require.cache).map((f) => f.replace(/\\\\/g, "/"))));
    `) as string[];
    expect(loaded.filter((f) => /node_modules\/(acorn|acorn-walk|typescript)\//.test(f))).toEqual([]);
    expect(loaded.filter((f) => /dist\/ship\/(compile-ts|capture|free-names|source)\.js$/.test(f))).toEqual([]);
  });

  it("the first shipFunction call loads no built-in module the function does not use", () => {
    const loaded = fresh(`
      const { shipFunction } = require("./dist/ship");
      const before = new Set(process.moduleLoadList);
      shipFunction((x) => x + 1);
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith("NativeModule "))));
    `) as string[];
    // Reading every global (fetch & co. load undici) and requiring every built-in (http, zlib …)
    // once made the first call ~50 ms slower; node:crypto (the payload's fingerprint) is expected.
    expect(loaded.filter((m) => /undici|zlib|http|child_process|dns|net$/.test(m))).toEqual([]);
  });
});
