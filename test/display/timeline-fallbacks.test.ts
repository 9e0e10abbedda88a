import { describe, expect, it } from "vitest";
import { allocSpanArrays, encodeSpans } from "../../src/wire/span-codec";
import { timelineHtml } from "../../src/display/timeline-html";
import { timelineText } from "../../src/display/timeline-text";
import { timelineSvg } from "../../src/display/timeline-svg";
import { Timeline } from "../../src/trace/timeline";
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

/** What a cluster pool's timeline looks like: two lanes named by the `lanes worker` threads that ran them. */
function cluster(labels: string[]): { payload: TimelinePayloadV1; timeline: Timeline } {
  const timeline = Timeline.fromSpans(
    [
      { worker: 0, threadId: 0, call: 0, queued: 0, started: 1, finished: 5, items: [0, 10], outcome: "ok" },
      { worker: 1, threadId: 1, call: 0, queued: 0, started: 2, finished: 6, items: [10, 20], outcome: "ok" },
    ],
    { calls: ["work"], laneLabels: labels },
  );
  return { payload: timeline.toPayload(), timeline };
}

describe("timeline fallbacks name a cluster's lanes host:pid/threadId", () => {
  const labels = ["node-a:4242/1", "node-b:977/3"];

  it("text: each lane's line starts with its label, padded so the bars line up", () => {
    const lines = timelineText(cluster(labels).payload).split("\n");
    const a = lines.find((l) => l.startsWith("node-a:4242/1 "));
    const b = lines.find((l) => l.startsWith("node-b:977/3  "));
    expect(a).toMatch(/ 67% busy$/);
    expect(b).toMatch(/ 67% busy$/);
    expect(a!.indexOf("█")).toBe(b!.indexOf("█"));
    expect(lines.some((l) => l.startsWith("worker "))).toBe(false);
  });

  it("html: the busy row and the live lanes list use the labels, escaped", () => {
    const { payload } = cluster(["<b>x</b>:1/1", "node-b:977/3"]);
    const html = timelineHtml(payload, []);
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;:1/1 67%");
    expect(html).toContain("node-b:977/3 67%");
    expect(html).not.toContain("<b>x</b>");
    const running = timelineHtml({ ...live(), laneLabels: ["node-a:4242/1", "node-a:4242/2", "node-b:977/1"] }, []);
    expect(running).toContain("<li>node-a:4242/1: item 5 for ");
    expect(running).toContain("<li>node-b:977/1: idle</li>");
  });

  it("svg: the y axis reads the labels, and each bar's tooltip says where it ran", () => {
    const { payload, timeline } = cluster(labels);
    const svg = timelineSvg(payload, timeline.spans());
    const axis = [...svg.matchAll(/<text x="0" y="\d+" fill="#555">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(axis).toEqual(labels);
    expect(svg).toMatch(/<title>work: items 0–9, 1 batch, [^<]* \(ok\) on node-a:4242\/1<\/title>/);
    expect(svg).not.toContain(">worker 0<");
  });

  it("svg: a label too long for its column is cut in the middle, whole in its tooltip; the column widens to fit", () => {
    const long = "a-rather-long-host-name.cluster.example.org:1234567/12";
    const { payload, timeline } = cluster([long, "node-b:977/3"]);
    const svg = timelineSvg(payload, timeline.spans());
    expect(svg).toContain(`<title>${long}</title>`);
    const cut = /<text x="0" y="\d+" fill="#555"><title>[^<]*<\/title>([^<]*)<\/text>/.exec(svg)?.[1];
    expect(cut).toMatch(/^a-rather-long-h.*….*:1234567\/12$/);
    // The plot starts after the (wider) label column: the lane background's x.
    const x = Number(/<rect x="(\d+)" y="0" width="\d+" height="18" fill="#f3f3f3"\/>/.exec(svg)?.[1]);
    expect(x).toBeGreaterThan(80);
    expect(x).toBeLessThanOrEqual(200);
  });

  it("a local pool's payload (no labels) still reads `worker N` everywhere", () => {
    const timeline = Timeline.fromSpans([{ worker: 0, threadId: 7, call: 0, queued: 0, started: 1, finished: 5, items: [0, 10], outcome: "ok" }]);
    const payload = timeline.toPayload();
    expect(timelineText(payload)).toContain("\nworker 0 ");
    expect(timelineSvg(payload, timeline.spans())).toContain(">worker 0</text>");
    expect(timelineHtml(payload, timeline.spans())).toContain("worker 0 ");
  });
});
