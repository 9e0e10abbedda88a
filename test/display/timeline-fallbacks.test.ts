import { describe, expect, it } from "vitest";
import { allocSpanArrays, encodeSpans } from "../../src/wire/span-codec";
import { timelineHtml } from "../../src/display/timeline-html";
import { timelineText } from "../../src/display/timeline-text";
import type { TimelinePayloadV1 } from "../../src/wire/mime";

/** A live payload with no spans yet: worker 0 runs one item, worker 1 a run of ten, worker 2 idles. */
function live(): TimelinePayloadV1 {
  return {
    version: 1,
    origin: 0,
    calls: ["work"],
    workers: 3,
    live: true,
    done: 0,
    total: 100,
    spans: encodeSpans(allocSpanArrays(0)),
    omittedSpans: 0,
    summary: { wallMs: 10, busy: [1, 1, 0], parallelism: 2, serialEstimateMs: 20, speedup: 2, queueWaitMs: 0, errors: 0 },
    progress: {
      ratePerSec: 0,
      etaMs: null,
      elapsedMs: 10,
      lanes: [
        { worker: 0, threadId: 1, state: "busy", items: [5, 6], forMs: 3 },
        { worker: 1, threadId: 2, state: "busy", items: [10, 20], forMs: 4 },
        { worker: 2, threadId: 3, state: "idle" },
      ],
    },
  };
}

describe("timeline fallbacks name what each worker runs", () => {
  it("text: one item as `item 5`, a run as `items 10–19`", () => {
    const lines = timelineText(live()).split("\n");
    expect(lines.find((l) => l.startsWith("worker 0 "))).toMatch(/running item 5$/);
    expect(lines.find((l) => l.startsWith("worker 1 "))).toMatch(/running items 10–19$/);
    expect(lines.find((l) => l.startsWith("worker 2 "))).not.toMatch(/running/);
  });

  it("html: the same words", () => {
    const html = timelineHtml(live(), []);
    expect(html).toContain("<li>worker 0: item 5 for ");
    expect(html).toContain("<li>worker 1: items 10–19 for ");
    expect(html).toContain("<li>worker 2: idle</li>");
  });
});
