import { useEffect, useMemo, useRef, useState } from 'react';
import type { RegionSeries } from '../analysis/region';
import type { PointHistory } from '../analysis/profile';
import { useActiveDataset } from '../state/datasets';
import { useCompare } from '../state/compare';
import { probeCsv, probeFileName, probeJson } from '../state/probe-files';
import { cancelSeries, chooseTool, decodeProbe, setProbe, startProbes, useProbes, type ProbeGeom, type ProbeResult, type ProbeTool } from '../state/probes';
import { useView } from '../state/view';
import { fmtNum } from './format';
import { loadPlotly } from './plotly';

const ROI_TOOLS: ProbeTool[] = ['rectangle', 'ellipse', 'polygon'];

function download(name: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const unitOf = (u: string | null | undefined) => (u ? ` [${u}]` : '');
const gap = (xs: ArrayLike<number>) => Array.from(xs, (x) => (Number.isFinite(x) ? x : null));

/** x of a series: the frames' times where every frame has one, else the frame index. */
function seriesX(s: Pick<RegionSeries | PointHistory, 'index' | 'time' | 'timeUnit'>): { x: number[]; title: string; byTime: boolean } {
  const byTime = s.time.length > 0 && s.time.every((t) => t !== null);
  const epoch = byTime && (s.time[0] ?? 0) > 1e8;
  if (byTime && !epoch) return { x: s.time as number[], title: `time${unitOf(s.timeUnit ?? 's')}`, byTime };
  return { x: s.index, title: 'frame index', byTime: false };
}

/** Plotly traces and axis titles of the answers in force. */
function figure(g: ProbeGeom, results: ProbeResult[], tangential: boolean): { traces: Record<string, unknown>[]; x: string; y: string; title: string } | null {
  const many = results.length > 1;
  const traces: Record<string, unknown>[] = [];
  if (g.kind === 'line') {
    const shown = results.filter((r) => r.profile);
    if (!shown.length) return null;
    const p0 = shown[0].profile!;
    for (const r of shown) {
      const p = r.profile!;
      const name = (what: string) => (many ? `${r.label}: ${what}` : what);
      traces.push({ type: 'scatter', mode: 'lines', name: name(p.quantity), x: Array.from(p.distance), y: gap(p.values), connectgaps: false });
      if (tangential && p.tangential && p.normal) {
        traces.push({ type: 'scatter', mode: 'lines', name: name('tangential'), x: Array.from(p.distance), y: gap(p.tangential), line: { dash: 'dash' } });
        traces.push({ type: 'scatter', mode: 'lines', name: name('normal'), x: Array.from(p.distance), y: gap(p.normal), line: { dash: 'dot' } });
      }
    }
    return {
      traces,
      x: `distance along the line${unitOf(p0.distanceUnit)}`,
      y: `${p0.quantity}${unitOf(p0.unit)}`,
      title: `profile, frame index ${shown[0].index}`,
    };
  }
  const series = results.filter((r) => (g.kind === 'roi' ? r.series : r.history));
  if (!series.length) return null;
  let x0 = '';
  let y0 = '';
  for (const r of series) {
    const s = (g.kind === 'roi' ? r.series : r.history)!;
    const sx = seriesX(s);
    x0 = sx.title;
    y0 = `${s.quantity}${unitOf(s.unit)}`;
    const name = (what: string) => (many ? `${r.label}: ${what}` : what);
    if (g.kind === 'roi') {
      const rs = r.series!;
      traces.push({ type: 'scatter', mode: 'lines', name: name('mean'), x: sx.x, y: gap(rs.mean) });
      if (!many) {
        const lo = rs.mean.map((m, k) => m - rs.std[k]);
        const hi = rs.mean.map((m, k) => m + rs.std[k]);
        traces.push({
          type: 'scatter',
          mode: 'lines',
          name: 'mean ± std',
          x: [...sx.x, ...[...sx.x].reverse()],
          y: gap([...hi, ...lo.reverse()]),
          fill: 'toself',
          fillcolor: 'rgba(31,119,180,0.15)',
          line: { width: 0 },
          hoverinfo: 'skip',
        });
        traces.push({ type: 'scatter', mode: 'lines', name: 'min', x: sx.x, y: gap(rs.min), line: { width: 1, dash: 'dot', color: '#888' } });
        traces.push({ type: 'scatter', mode: 'lines', name: 'max', x: sx.x, y: gap(rs.max), line: { width: 1, dash: 'dot', color: '#555' } });
      }
    } else traces.push({ type: 'scatter', mode: 'lines+markers', marker: { size: 3 }, name: name(r.history!.quantity), x: sx.x, y: gap(r.history!.values) });
  }
  return { traces, x: x0, y: y0, title: g.kind === 'roi' ? 'region over the frames' : 'point over the frames' };
}

/** Where the current-frame cursor goes on a series plot. */
function cursorX(g: ProbeGeom, r: ProbeResult | undefined): number | null {
  const s = g.kind === 'roi' ? r?.series : g.kind === 'point' ? r?.history : undefined;
  if (!s || !r) return null;
  const k = s.index.indexOf(r.index);
  if (k < 0) return null;
  const sx = seriesX(s);
  return sx.x[k];
}

/**
 * The probes' panel: the tools (line, region, point), the answers of the current frame, the profile
 * or series plot (one trace per compare panel, legend naming the dataset) with the current-frame
 * cursor, progress and cancel of a series, and CSV / JSON / clipboard of what is plotted.
 */
export function ProbePanel() {
  const active = useActiveDataset();
  const probe = useView((s) => s.probe);
  const tool = useProbes((s) => s.tool);
  const results = useProbes((s) => s.results);
  const progress = useProbes((s) => s.progress);
  const tangential = useProbes((s) => s.tangential);
  const allPanels = useProbes((s) => s.allPanels);
  const layout = useCompare((c) => c.layout);
  const [roiShape, setRoiShape] = useState<ProbeTool>('rectangle');
  const [copied, setCopied] = useState('');
  const div = useRef<HTMLDivElement>(null);
  const g = decodeProbe(probe);

  useEffect(() => startProbes(), []);

  const fig = useMemo(() => (g ? figure(g, results, tangential) : null), [probe, results, tangential]); // eslint-disable-line react-hooks/exhaustive-deps
  const cx = g ? cursorX(g, results[0]) : null;
  const cursor = cx !== null ? [{ type: 'line', x0: cx, x1: cx, yref: 'paper', y0: 0, y1: 1, line: { color: '#d33', width: 1.5 } }] : [];
  useEffect(() => {
    const el = div.current;
    if (!el) return;
    void loadPlotly().then((Plotly) => {
      if (!fig) {
        Plotly.purge(el);
        return;
      }
      void Plotly.react(
        el,
        fig.traces as never,
        {
          height: 260,
          margin: { l: 58, r: 10, t: 26, b: 40 },
          title: { text: fig.title, font: { size: 12 } },
          showlegend: fig.traces.length > 1,
          legend: { orientation: 'h', x: 0, y: -0.25, font: { size: 10 } },
          xaxis: { title: { text: fig.x, font: { size: 11 } }, zeroline: false },
          yaxis: { title: { text: fig.y, font: { size: 11 } } },
          shapes: cursor,
        } as never,
        { displaylogo: false, responsive: true },
      );
    });
  }, [fig?.traces, cx]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!active?.summary.frames.length) return null;
  const isVector = results.some((r) => r.profile?.tangential);
  const csv = () => (g ? probeCsv(results, g) : null);
  const json = () => (g ? probeJson(results, g) : null);
  const ready = !!(g && fig);
  const stats = g?.kind === 'roi' ? results.filter((r) => r.stats) : [];
  const errors = results.filter((r) => r.error);
  const pick = (t: ProbeTool) => chooseTool(t);
  return (
    <div className="panel probes" data-testid="probes">
      <h2>Probes</h2>
      <div className="probe-tools">
        <button
          data-testid="probe-line"
          className={tool === 'line' ? 'on' : ''}
          onClick={() => pick('line')}
          title="draw a line or polyline: click vertices, double-click or Enter ends"
        >
          Line
        </button>
        <button
          data-testid="probe-roi"
          className={ROI_TOOLS.includes(tool) ? 'on' : ''}
          onClick={() => pick(roiShape)}
          title="draw a region: rectangle or ellipse by dragging, polygon by clicking its corners"
        >
          Region
        </button>
        <select
          data-testid="probe-roi-shape"
          value={roiShape}
          onChange={(e) => {
            const t = e.target.value as ProbeTool;
            setRoiShape(t);
            if (ROI_TOOLS.includes(tool)) useProbes.getState().set({ tool: t, draft: [] });
          }}
        >
          <option value="rectangle">rectangle</option>
          <option value="ellipse">ellipse</option>
          <option value="polygon">polygon</option>
        </select>
        <button
          data-testid="probe-point"
          className={tool === 'point' ? 'on' : ''}
          onClick={() => pick('point')}
          title="click a point: its value over all frames"
        >
          Point
        </button>
        {g && (
          <button data-testid="probe-clear" onClick={() => setProbe(null)} title="remove the probe">
            ✕
          </button>
        )}
      </div>
      {!g && tool === 'none' && <p className="muted">Draw a line, a region or a point on the plot (physical coordinates; the probe is kept in the link).</p>}
      {g?.kind === 'line' && isVector && (
        <label className="check">
          <input
            type="checkbox"
            data-testid="probe-tangential"
            checked={tangential}
            onChange={(e) => useProbes.getState().set({ tangential: e.target.checked })}
          />{' '}
          tangential and normal components
        </label>
      )}
      {layout > 1 && (
        <label className="check">
          <input type="checkbox" checked={allPanels} onChange={(e) => useProbes.getState().set({ allPanels: e.target.checked })} /> apply to every panel
        </label>
      )}
      {stats.length > 0 && (
        <table className="probe-stats" data-testid="probe-stats">
          <thead>
            <tr>
              {stats.length > 1 && <th />}
              <th>mean</th>
              <th>std</th>
              <th>min</th>
              <th>max</th>
              <th>valid</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((r) => (
              <tr key={r.datasetId}>
                {stats.length > 1 && <th>{r.label}</th>}
                <td>{fmtNum(r.stats!.mean)}</td>
                <td>{fmtNum(r.stats!.std)}</td>
                <td>{fmtNum(r.stats!.min)}</td>
                <td>{fmtNum(r.stats!.max)}</td>
                <td>
                  {r.stats!.count} / {r.stats!.cells}
                </td>
              </tr>
            ))}
          </tbody>
          <caption>
            {stats[0].stats!.quantity}
            {unitOf(stats[0].stats!.unit)}, frame index {stats[0].index}
          </caption>
        </table>
      )}
      {progress && (
        <p data-testid="probe-progress">
          <progress max={progress.total} value={progress.done} /> {progress.done} of {progress.total} frames <button onClick={cancelSeries}>Cancel</button>
        </p>
      )}
      {errors.map((r) => (
        <p key={r.datasetId} className="error">
          {r.label}: {r.error}
        </p>
      ))}
      <div data-testid="probe-plot" className="probe-plot" data-ready={ready ? 'true' : 'false'} ref={div} />
      {g && (
        <div className="probe-files">
          <button
            data-testid="probe-csv"
            disabled={!ready}
            title="the plotted numbers as CSV, units in the header"
            onClick={() => {
              const t = csv();
              if (t && g) download(probeFileName(results, g, 'csv'), t, 'text/csv');
            }}
          >
            CSV
          </button>
          <button
            data-testid="probe-json"
            disabled={!ready}
            onClick={() => {
              const t = json();
              if (t && g) download(probeFileName(results, g, 'json'), t, 'application/json');
            }}
          >
            JSON
          </button>
          <button
            data-testid="probe-copy"
            disabled={!ready}
            title="copy the CSV to the clipboard"
            onClick={() => {
              const t = csv();
              if (t)
                void navigator.clipboard.writeText(t).then(
                  () => setCopied('copied'),
                  () => setCopied('the browser refused the clipboard'),
                );
            }}
          >
            Copy
          </button>
          {copied && <span className="muted"> {copied}</span>}
        </div>
      )}
    </div>
  );
}
