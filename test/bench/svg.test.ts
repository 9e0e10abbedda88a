import { describe, expect, it } from "vitest";
import { escapeXml, renderSvg } from "../../bench/lib/svg";
import { caseResult, report } from "./fixtures";

describe("plot", () => {
  it("escapes the five XML specials", () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("draws one bar per measured pair, labelled with its ratio", () => {
    const svg = renderSvg(report());
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(svg).toContain(">2.00×</text>");
    expect(svg).toContain(">8.00×</text>");
  });

  it("contains no script, whatever the labels say", () => {
    const evil = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    const svg = renderSvg(report([caseResult({ title: evil })]));
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/<img/i);
    const tags = svg.match(/<[^>]*>/g) ?? [];
    expect(tags.filter((t) => /\son\w+\s*=/i.test(t) || /^<(?!\/?(svg|rect|text|line|title)[\s>/])/.test(t))).toEqual([]);
    expect(svg).not.toMatch(/javascript:/i);
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("is still a picture when nothing was measured", () => {
    const svg = renderSvg(report([]));
    expect(svg).toContain("</svg>");
    expect(svg).not.toContain("NaN");
  });
});
