import { describe, expect, it } from "vitest";
import * as lanes from "../src";

describe("the package root", () => {
  it("exports what a user calls", () => {
    for (const name of ["Pool", "cpuCount", "show", "Timeline", "registerTransferHandler", "shipFunction", "TIMELINE_MIME", "NotShippableError"]) {
      expect(lanes, name).toHaveProperty(name);
    }
  });

  it("keeps the internals out: span recording, the live display, the worker-side rebuild, the handler registry", () => {
    for (const name of ["SpanRecorder", "now", "startProgress", "LiveProgress", "UnknownSpanError", "transferHandlers", "loadShippedFunction"]) {
      expect(lanes, name).not.toHaveProperty(name);
    }
  });
});
