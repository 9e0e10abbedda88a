import * as aq from "arquero";
import { afterEach, describe, expect, it } from "vitest";
import { DISPLAY } from "../../src/display/bundle";
import { setDisplayAdapter } from "../../src/display/current-adapter";
import { NodeAdapter } from "../../src/display/node-adapter";
import { bundleOf, NotDisplayableError, show } from "../../src/display/show";
import { TABLE_MIME, TIMELINE_MIME } from "../../src/wire/mime";
import { simulate } from "../trace/simulate";
import { fakeAdapter } from "./fake-adapter";
import { tableProblems, timelineProblems } from "./schema";

afterEach(() => setDisplayAdapter(undefined));

describe("show()", () => {
  it("displays a Timeline as one bundle with its MIME type, HTML and text", () => {
    const adapter = fakeAdapter();
    const { recorder } = simulate({ n: 40, workers: 4, chunk: 5 });
    show(recorder.timeline(), { adapter });
    expect(adapter.sent).toHaveLength(1);
    const b = adapter.sent[0]!.bundle;
    expect(Object.keys(b).sort()).toEqual([TIMELINE_MIME, "text/html", "text/plain"].sort());
    expect(timelineProblems(b[TIMELINE_MIME])).toEqual([]);
    expect(b["text/html"]).toMatch(/^<div class="lanes-timeline">.*<svg /);
    expect(b["text/plain"]).toMatch(/^Lanes timeline · square · 40 batches on 4 workers · 200\/200 items/);
  });

  it("displays an arquero table as one bundle with its MIME type, HTML and text", () => {
    const adapter = fakeAdapter();
    show(aq.table({ x: [1, 2, 3], y: ["a", "b", "c"] }), { adapter, rows: 2 });
    const b = adapter.sent[0]!.bundle;
    expect(Object.keys(b).sort()).toEqual([TABLE_MIME, "text/html", "text/plain"].sort());
    expect(tableProblems(b[TABLE_MIME])).toEqual([]);
    expect(b[TABLE_MIME]).toMatchObject({ totalRows: 3, rowLimit: 2 });
  });

  it("displays anything with a [Symbol.for('Jupyter.display')]() bundle, sync or async", async () => {
    const adapter = fakeAdapter();
    show({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "hi" }) }, { adapter });
    show({ [DISPLAY]: () => Promise.resolve({ "text/markdown": "**hi**" }) }, { adapter });
    await new Promise((r) => setTimeout(r, 0));
    expect(adapter.sent.map((s) => s.bundle)).toEqual([{ "text/plain": "hi" }, { "text/markdown": "**hi**" }]);
  });

  it("refuses other values with an error that says what to pass", () => {
    expect(() => bundleOf(42)).toThrow(NotDisplayableError);
    expect(() => bundleOf({ a: 1 })).toThrow(/Timeline.*arquero table.*Symbol\.for\("Jupyter\.display"\).*console\.log/);
  });

  it("goes to the adapter set with setDisplayAdapter, and prints text in plain Node", () => {
    const adapter = fakeAdapter();
    setDisplayAdapter(adapter);
    show(aq.table({ x: [1] }));
    expect(adapter.sent).toHaveLength(1);
    const out: string[] = [];
    setDisplayAdapter(new NodeAdapter({ write: (s: string) => out.push(s) }));
    show(aq.table({ x: [1] }));
    expect(out.join("")).toMatch(/^x\n─\n1\n\(1 × 1\)\n$/);
  });
});
