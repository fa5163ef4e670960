import { useEffect, useRef } from 'react';
import { useActiveDataset } from '../state/datasets';
import { useView } from '../state/view';
import { loadPlotly } from './plotly';

/** Time series of the dataset (PhiFlow log_*.txt curves, imgstore extra data) with a cursor at the current frame, and text documents. */
export function SidePanels() {
  const active = useActiveDataset();
  const frame = useView((s) => s.frame);
  const div = useRef<HTMLDivElement>(null);
  const series = active?.summary.series ?? [];
  const info = active?.summary.frames[Math.min(frame, (active?.summary.frames.length ?? 1) - 1)];

  // epoch-second times (imgstore frame_time) on a date axis
  const epoch = series.length > 0 && series[0].xKind === 'time' && (series[0].x[0] ?? 0) > 1e8;
  const asX = (t: number | null | undefined) => (t === null || t === undefined ? t : epoch ? new Date(t * 1000).toISOString() : t);
  const cursorX = series.length ? asX(series[0].xKind === 'time' ? info?.time : info?.number) : null;
  const cursor = (x: number | string | null | undefined) =>
    x !== null && x !== undefined ? [{ type: 'line', x0: x, x1: x, yref: 'paper', y0: 0, y1: 1, line: { color: '#d33', width: 1.5 } }] : [];

  // the curves: drawn when the series change
  useEffect(() => {
    if (!div.current || !series.length) return;
    const el = div.current;
    void loadPlotly().then((Plotly) => {
      const traces = series.flatMap((s) =>
        s.y.map((col, c) => ({
          type: 'scatter',
          mode: 'lines',
          name: s.columns?.[c] && !s.name.endsWith(s.columns[c]) ? `${s.name}: ${s.columns[c]}` : s.y.length > 1 ? `${s.name}[${c}]` : s.name,
          x: epoch ? s.x.map((t) => asX(t)) : s.x,
          y: col,
        })),
      );
      void Plotly.react(
        el,
        traces as never,
        {
          height: 220,
          margin: { l: 50, r: 10, t: 28, b: 36 },
          showlegend: true,
          legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 10 } },
          xaxis: { type: epoch ? 'date' : '-', title: { text: series[0].xKind === 'time' ? (epoch ? 'time (UTC)' : 'time') : 'frame number' } },
          shapes: cursor(cursorX),
        } as never,
        { displaylogo: false, responsive: true },
      );
    });
  }, [series]); // eslint-disable-line react-hooks/exhaustive-deps

  // the cursor at the current frame: a cheap relayout per frame
  useEffect(() => {
    const el = div.current as (HTMLDivElement & { data?: unknown }) | null;
    if (!el?.data) return;
    void loadPlotly().then((Plotly) => Plotly.relayout(el, { shapes: cursor(cursorX) } as never));
  }, [cursorX]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!active) return null;
  return (
    <>
      {series.length > 0 && (
        <div className="panel series" data-testid="series">
          <h2>Series</h2>
          <div ref={div} />
        </div>
      )}
      {active.summary.documents.length > 0 && (
        <div className="panel documents" data-testid="documents">
          <h2>Documents</h2>
          {active.summary.documents.map((d) => (
            <details key={d.name}>
              <summary>{d.name}</summary>
              <pre>{d.text}</pre>
            </details>
          ))}
        </div>
      )}
    </>
  );
}
