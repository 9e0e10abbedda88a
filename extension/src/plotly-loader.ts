/**
 * Timelines need only bar traces, so the renderer loads plotly.js's "basic" bundle (bar, scatter,
 * pie: 1.2 MB) rather than the full one (4.8 MB, about 2 s to load here), the first time a timeline
 * draws and only once per page. The basic bundle ships no types; it has the same API, typed here by
 * the full bundle's declarations (a dev dependency).
 */
export type PlotlyApi = typeof import("plotly.js-dist-min");

let loading: Promise<PlotlyApi> | undefined;

export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= import("plotly.js-basic-dist-min").then((m: unknown) => {
    // A CommonJS bundle behind a dynamic import: webpack hands over the exports as `default`.
    const withDefault = m as PlotlyApi & { default?: PlotlyApi };
    return withDefault.default ?? withDefault;
  });
  // A failed load (network hiccup) must not poison every later timeline.
  loading.catch(() => (loading = undefined));
  return loading;
}
