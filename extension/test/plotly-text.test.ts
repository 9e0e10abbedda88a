import { describe, expect, it } from "vitest";
import { plotlyText } from "../src/plotly-text";

describe("plotlyText", () => {
  it("leaves no tag plotly could parse, and no entity it would decode into one", () => {
    expect(plotlyText(`<b>x</b> & <a href="javascript:1">`)).toBe(`&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href="javascript:1"&gt;`);
    expect(plotlyText("&lt;b&gt;")).toBe("&amp;lt;b&amp;gt;");
  });

  it("keeps plain names as they are", () => {
    expect(plotlyText("resize (x2) 'quoted' 100%")).toBe("resize (x2) 'quoted' 100%");
  });
});
