/**
 * Plotly draws hover labels, legend entries and tick labels by parsing a small HTML subset (`<b>`,
 * `<br>`, `<a href>`, `<span style>`, entities …) into SVG. A payload string that reached plotly
 * unescaped could therefore style itself or smuggle a link; escaped, plotly decodes the entities
 * back and shows the characters literally. Without `<` no tag can open, so quotes need nothing (and
 * plotly would not decode `&quot;`).
 */
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** A payload string made safe for any plotly text attribute (it then shows exactly as given). */
export function plotlyText(s: string): string {
  return s.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
}
