/** plotly.js is 4.8 MB: load it the first time a timeline draws, and only once per page. */
export type PlotlyApi = typeof import("plotly.js-dist-min");

let loading: Promise<PlotlyApi> | undefined;

export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= import("plotly.js-dist-min").then((m) => {
    // A CommonJS bundle behind a dynamic import: webpack hands over the exports as `default`.
    const withDefault = m as PlotlyApi & { default?: PlotlyApi };
    return withDefault.default ?? m;
  });
  // A failed load (network hiccup) must not poison every later timeline.
  loading.catch(() => (loading = undefined));
  return loading;
}
