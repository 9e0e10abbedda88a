import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { DISPLAY, type MimeBundle } from "../../src/display/bundle";
import { tableBundle } from "../../src/display/table-bundle";
import { TABLE_MIME, TIMELINE_MIME } from "../../src/wire/mime";
import { SpanRecorder } from "../../src/trace/span-recorder";

/** Strings a hostile notebook or dataset could carry into a display. */
const XSS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  "</title><script>alert(4)</script>",
  "javascript:alert(5)",
  "`${alert(6)}`",
  "<iframe srcdoc='<script>alert(7)</script>'>",
  "<!--",
  "]]><style>*{display:none}</style>",
];

/** The markup the fallbacks are made of; anything else came from a payload. */
const TAGS = new Set(["div", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "small", "br", "span", "code", "ul", "li", "svg", "title", "text", "rect", "line"]);
const ATTRIBUTES = new Set(["class", "style", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "fill", "fill-opacity", "stroke", "viewBox", "role", "aria-label", "xmlns", "text-anchor"]);

/**
 * Walks every tag: only known elements and attributes, every attribute a well-formed `name="value"`
 * without a raw quote, no comment or CDATA opener; so no user string became markup.
 */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<!--|<!\[CDATA\[|<style/i);
  let tags = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^<>]*)>/g)) {
    tags++;
    const [, , name, rest] = m;
    expect(TAGS, `tag <${name}>`).toContain(name);
    const leftover = rest!.replace(/\s+([\w:-]+)="([^"<>]*)"/g, (_, attr: string) => {
      expect(ATTRIBUTES, `attribute ${attr} on <${name}>`).toContain(attr);
      return "";
    });
    expect(leftover.trim(), `junk in <${name}${rest}>`).toMatch(/^\/?$/);
  }
  expect(tags).toBeGreaterThan(0);
  // Nothing that looks like a tag survives outside the recognised ones.
  expect(html.replace(/<(\/?)([a-zA-Z][\w-]*)([^<>]*)>/g, "")).not.toMatch(/[<>]/);
}

describe("static HTML fallbacks are inert", () => {
  it("table: column names and values", () => {
    const cols: Record<string, unknown[]> = {};
    XSS.forEach((name, i) => (cols[name] = XSS.map((v) => (i % 2 === 0 ? v : { v }))));
    const bundle = tableBundle(aq.table(cols));
    expectInert(bundle["text/html"] as string);
    // The payload keeps the strings as data (the extension renders them as text).
    expect(JSON.stringify(bundle[TABLE_MIME])).toContain("onerror");
    expect(bundle["text/html"]).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("timeline: function names and error names, live and final", () => {
    const rec = new SpanRecorder({ clock: () => 0 });
    const spans: number[] = [];
    XSS.forEach((name, c) => {
      const call = rec.beginCall(name, 2, 2, 0);
      const a = rec.queued(call, 0, 1, c);
      const b = rec.queued(call, 1, 2, c);
      rec.started(a, 0, 1, c + 0.1);
      rec.finished(a, "error", XSS[(c + 1) % XSS.length], c + 0.5);
      rec.started(b, 1, 2, c + 0.2);
      spans.push(b);
    });
    const live: MimeBundle = rec.timeline({ all: true }, 20)[DISPLAY]();
    expect(live[TIMELINE_MIME]).toMatchObject({ live: true });
    expectInert(live["text/html"] as string);
    for (const b of spans) rec.finished(b, "ok", undefined, 25);
    const final: MimeBundle = rec.timeline({ all: true }, 25)[DISPLAY]();
    expect(final[TIMELINE_MIME]).toMatchObject({ live: false });
    expectInert(final["text/html"] as string);
    // The names do appear, escaped, in the legend and the bar tooltips (error names included).
    expect(final["text/html"]).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(final["text/html"]).toContain("(error: &quot;&gt;&lt;img src=x onerror=alert(2)&gt;)");
  });
});
