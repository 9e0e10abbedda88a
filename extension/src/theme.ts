/**
 * JupyterLab's theme as plotly colours. Plotly paints into SVG/canvas with literal colours, so CSS
 * variables cannot reach it: read them, and redraw when the theme changes.
 */

export interface Theme {
  dark: boolean;
  text: string;
  muted: string;
  grid: string;
  /** Behind the lanes; the page shows through around them. */
  plot: string;
  hoverBackground: string;
  hoverBorder: string;
  font: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === "" ? fallback : value;
}

/** The current theme, from the CSS variables JupyterLab's theme sets on the page. */
export function readTheme(doc: Document = document): Theme {
  const body = doc.body;
  const dark = body.dataset.jpThemeLight === "false";
  const style = getComputedStyle(body);
  return {
    dark,
    text: cssVar(style, "--jp-content-font-color1", dark ? "#e0e0e0" : "#212121"),
    muted: cssVar(style, "--jp-content-font-color2", dark ? "#b0b0b0" : "#616161"),
    grid: cssVar(style, "--jp-border-color2", dark ? "#424242" : "#e0e0e0"),
    plot: cssVar(style, "--jp-layout-color1", dark ? "#212121" : "#ffffff"),
    hoverBackground: cssVar(style, "--jp-layout-color0", dark ? "#111111" : "#ffffff"),
    hoverBorder: cssVar(style, "--jp-border-color1", dark ? "#616161" : "#bdbdbd"),
    font: cssVar(style, "--jp-ui-font-family", "sans-serif"),
  };
}

/**
 * Calls `onChange` when JupyterLab switches theme. The theme manager sets these body attributes
 * once the new theme's CSS has loaded, so variables read in the callback are already the new ones.
 * Returns the function that stops watching.
 */
export function watchTheme(onChange: () => void, doc: Document = document): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(doc.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name"] });
  return () => observer.disconnect();
}
