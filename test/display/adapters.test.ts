import { afterEach, describe, expect, it, vi } from "vitest";
import { DenoAdapter, denoDisplay } from "../../src/display/deno-adapter";
import { kernelTslab, TslabAdapter } from "../../src/display/tslab-adapter";

const BUNDLE = { "application/vnd.lanes.table.v1+json": { version: 1 }, "text/html": "<b>t</b>", "text/plain": "t" };

/** A fake tslab kernel: its public module and its internal jupyter module, loaded in require.cache as the kernel would have them. */
function fakeTslab(withInternals: boolean) {
  const dir = "/fake-kernel/node_modules/tslab/dist";
  const publicCalls: { id: string | undefined; kind: string; s: string }[] = [];
  let ids = 0;
  const makeDisplay = (id?: string) => ({
    html: (s: string) => publicCalls.push({ id, kind: "html", s }),
    text: (s: string) => publicCalls.push({ id, kind: "text", s }),
  });
  const pub = { display: makeDisplay(), newDisplay: () => makeDisplay(`pub-${++ids}`) };
  const writes: { message: unknown; update: boolean }[] = [];
  const jupyter = { lastWriteDisplayData: withInternals ? (message: unknown, update: boolean) => writes.push({ message, update }) : null };
  const cache = require.cache as Record<string, unknown>;
  cache[`${dir}/public.js`] = { exports: pub };
  cache[`${dir}/jupyter.js`] = { exports: jupyter };
  (globalThis as { __tslab__?: unknown }).__tslab__ = { require: (id: string) => (id === "tslab" ? pub : undefined) };
  return {
    publicCalls,
    writes,
    cleanup: () => {
      delete cache[`${dir}/public.js`];
      delete cache[`${dir}/jupyter.js`];
      delete (globalThis as { __tslab__?: unknown }).__tslab__;
    },
  };
}

describe("tslab adapter", () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it("sends the full bundle through the kernel copy's lastWriteDisplayData, with display_id and update", () => {
    const k = fakeTslab(true);
    cleanup = k.cleanup;
    const pub = kernelTslab();
    expect(pub).toBeDefined();
    const adapter = new TslabAdapter(pub!);
    expect(adapter.fullBundles).toBe(true);
    adapter.display(BUNDLE);
    adapter.display(BUNDLE, "d1");
    adapter.update(BUNDLE, "d1");
    expect(k.writes).toEqual([
      { message: { data: BUNDLE, metadata: {}, transient: {} }, update: false },
      { message: { data: BUNDLE, metadata: {}, transient: { display_id: "d1" } }, update: false },
      { message: { data: BUNDLE, metadata: {}, transient: { display_id: "d1" } }, update: true },
    ]);
    expect(k.publicCalls).toEqual([]);
  });

  it("falls back to the public single-type display (HTML) when the internals are missing", () => {
    const k = fakeTslab(false);
    cleanup = k.cleanup;
    const adapter = new TslabAdapter(kernelTslab()!);
    expect(adapter.fullBundles).toBe(false);
    adapter.display(BUNDLE);
    adapter.display(BUNDLE, "d1");
    adapter.update(BUNDLE, "d1");
    adapter.display({ "text/plain": "only text" });
    expect(k.publicCalls).toEqual([
      { id: undefined, kind: "html", s: "<b>t</b>" },
      { id: "pub-1", kind: "html", s: "<b>t</b>" },
      { id: "pub-1", kind: "html", s: "<b>t</b>" },
      { id: undefined, kind: "text", s: "only text" },
    ]);
  });

  it("is what currentAdapter() picks inside tslab", async () => {
    const k = fakeTslab(true);
    cleanup = k.cleanup;
    // A fresh module instance: the detection is cached once it found a kernel.
    vi.resetModules();
    const fresh = await import("../../src/display/current-adapter");
    expect(fresh.currentAdapter().kind).toBe("tslab");
  });

  it("is not used outside tslab", () => {
    expect(kernelTslab()).toBeUndefined();
  });
});

describe("Deno adapter", () => {
  afterEach(() => {
    delete (globalThis as { Deno?: unknown }).Deno;
  });

  it("sends raw bundles through Deno.jupyter.display, with display_id and update", async () => {
    const calls: unknown[][] = [];
    (globalThis as { Deno?: unknown }).Deno = { jupyter: { display: (...args: unknown[]) => (calls.push(args), Promise.resolve()) } };
    const send = denoDisplay();
    expect(send).toBeDefined();
    const adapter = new DenoAdapter(send!);
    adapter.display(BUNDLE);
    adapter.display(BUNDLE, "d");
    adapter.update(BUNDLE, "d");
    await Promise.resolve();
    expect(calls).toEqual([
      [BUNDLE, { raw: true }],
      [BUNDLE, { raw: true, display_id: "d" }],
      [BUNDLE, { raw: true, update: true, display_id: "d" }],
    ]);
  });

  it("reports a failed display on stderr instead of an unhandled rejection", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const adapter = new DenoAdapter(() => Promise.reject(new Error("no kernel")));
    adapter.display(BUNDLE);
    await new Promise((r) => setTimeout(r, 0));
    expect(spy).toHaveBeenCalledWith(expect.stringMatching(/no kernel/));
    spy.mockRestore();
  });
});
