/** plotly.js is large: load it once, lazily, when the first plot is drawn. */
type PlotlyModule = typeof import('plotly.js-dist-min');
let p: Promise<PlotlyModule> | null = null;
export function loadPlotly(): Promise<PlotlyModule> {
  p ??= import('plotly.js-dist-min').then((m) => ((m as unknown as { default?: PlotlyModule }).default ?? m) as PlotlyModule);
  return p;
}
