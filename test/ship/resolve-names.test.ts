import { describe, expect, it } from "vitest";
import { analyse } from "../../src/ship/function-analysis";
import { resolveFreeNames, type Binding } from "../../src/ship/resolve-names";

/** The bindings and missing names of `fn`'s free names, as the value graph gets them. */
function resolve(fn: (...args: never[]) => unknown, context?: Record<string, unknown>, contextFirst = true) {
  const { source, analysis } = analyse(fn);
  if (source.kind === "native") throw new Error("a native function has no source");
  return resolveFreeNames(fn, fn.name, source, analysis, context, contextFirst);
}

function valueOf(bindings: readonly Binding[], name: string): unknown {
  const b = bindings.find((x) => x.name === name);
  return b?.kind === "value" ? b.value : b?.kind;
}

/** A name no scope defines: only a context can give it a value. */
declare const lanesNowhere: number;

describe("resolveFreeNames", () => {
  it("finds closure variables, leaves standard globals to the worker, and lists what it cannot find", () => {
    const scale = 3;
    const fn = (x: number) => Math.round(x * scale) + lanesNowhere;
    const { bindings, missing } = resolve(fn);
    expect(bindings.map((b) => b.name)).toEqual(["scale"]);
    expect(valueOf(bindings, "scale")).toBe(3);
    expect(missing.map((s) => s.variable)).toEqual(["lanesNowhere"]);
    expect(missing[0]).toMatchObject({ fn: "fn", line: 1 });
  });

  it("lets the root function's context win over its closure; for functions shipped along, context only fills gaps", () => {
    const scale = 3;
    const fn = (x: number) => x * scale + lanesNowhere;
    const context = { scale: 10, lanesNowhere: 1 };
    expect(valueOf(resolve(fn, context, true).bindings, "scale")).toBe(10);
    const along = resolve(fn, context, false);
    expect(valueOf(along.bindings, "scale")).toBe(3);
    expect(valueOf(along.bindings, "lanesNowhere")).toBe(1);
    expect(along.missing).toEqual([]);
  });

  it("binds require to the worker's own, and skips typeof-only uses", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a function that requires in the worker
    const fn = () => (typeof lanesNowhere === "undefined" ? (require("node:path") as { sep: string }).sep : "");
    const { bindings, missing } = resolve(fn);
    expect(bindings).toEqual([{ kind: "require", name: "require" }]);
    expect(missing).toEqual([]);
  });
});
