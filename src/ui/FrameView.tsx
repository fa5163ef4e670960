import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { plotlyColorscale } from '../render/colormaps';
import type { ViewModel } from '../render/view-model';
import { datasetClient } from '../state/client';
import { useActiveDataset } from '../state/datasets';
import { drawnStore } from '../state/drawn';
import { useView, viewRequestOf } from '../state/view';
import { fmtNum } from './format';
import { drawBitmap, pixelToData, type PlotlyGd } from './plot-bitmap';
import { loadPlotly } from './plotly';

/** What the test hooks and benchmarks see of the frame on screen. */
export interface ShownSummary {
  dataset: string;
  index: number;
  number: number;
  time: number | null;
  field: string;
  kind: string;
  width: number;
  height: number;
  stats?: ViewModel['stats'];
  limits?: [number, number];
  arrows?: number;
  readMs: number;
  renderMs: number;
  drawMs: number;
  /** request sent → result received on the main thread */
  waitMs: number;
  cached: boolean;
}

declare global {
  interface Window {
    __framescope?: {
      shown?: ShownSummary;
      valueAt?(ix: number, iy: number): number | null;
      /** test/bench hook: show frame `index` of the active dataset */
      go?(index: number): void;
      /** the last 256 draws: [request sent, result received, drawn] (performance.now ms) */
      trace?: [number, number, number][];
    };
  }
}

/** Milliseconds without a new frame after which the view counts as settled (Plotly image trace drawn). */
const SETTLE_MS = 250;

/**
 * The plot. A frame arrives from the worker as a colormapped ImageBitmap and is drawn at once on a
 * canvas beneath Plotly's transparent axes (scrubbing and playback cost ~1 ms of drawing); Plotly
 * draws the axes with physical units, the colour bar and the native `quiver` trace, and — once the
 * view settles — the same bitmap as its `image` trace, so Plotly's own image export shows it too.
 * 1D fields are a Plotly line plot.
 */
export function FrameView() {
  const active = useActiveDataset();
  const v = useView();
  const div = useRef<PlotlyGd>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const shown = useRef<{ model: ViewModel; bitmap: ImageBitmap | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [hover, setHover] = useState<string>('');

  const id = active?.id;
  const nFrames = active?.summary.frames.length ?? 0;
  const frame = Math.min(v.frame, Math.max(0, nFrames - 1));

  // a layout effect: the request leaves in the same task as the frame change, not after a paint
  useLayoutEffect(() => {
    if (!id || !nFrames || !v.field) return;
    const request = viewRequestOf(v);
    const tReq = performance.now();
    const req = datasetClient().view(id, frame, request);
    let live = true;
    let settle: ReturnType<typeof setTimeout> | undefined;
    let pngReq: { cancel(): void } | undefined;
    req.promise
      .then(async (r) => {
        if (!live || !div.current || !canvas.current) return;
        const t0 = performance.now();
        const gd = div.current;
        await drawAxes(gd, r.model, v.colormap, v.arrowScale, v.arrowColor, active!.summary.name);
        drawBitmap(canvas.current, gd, r.bitmap ?? null, r.model);
        shown.current?.bitmap?.close();
        shown.current = { model: r.model, bitmap: r.bitmap ?? null };
        setMessage(r.model.kind === 'missing' ? r.model.message ?? 'nothing to show' : null);
        const trace = window.__framescope?.trace ?? [];
        trace.push([tReq, t0, performance.now()]);
        if (trace.length > 256) trace.shift();
        window.__framescope = {
          trace,
          go: (i) => useView.getState().set({ frame: i }),
          shown: {
            dataset: active!.summary.name,
            index: r.model.info.index,
            number: r.model.info.number,
            time: r.model.info.time,
            field: r.model.field,
            kind: r.model.kind,
            width: r.model.width,
            height: r.model.height,
            stats: r.model.stats,
            limits: r.model.limits,
            arrows: r.model.quiver?.x.length,
            readMs: r.readMs,
            renderMs: r.renderMs,
            drawMs: performance.now() - t0,
            waitMs: t0 - tReq,
            cached: r.cached,
          },
          valueAt: (ix, iy) => {
            const m = shown.current?.model;
            if (!m?.values) return null;
            const k = iy * m.width + ix;
            return m.mask?.[k] ? null : m.values[k];
          },
        };
        gd.setAttribute('data-drawn-index', String(r.model.info.index));
        drawnStore.getState().setDrawn(r.model.info.index, r.attributes, r.model.limits ?? null);
        // settled: hand the bitmap to Plotly's image trace as well (PNG made in the worker)
        if (r.model.kind === 'image' || r.model.kind === 'rgb')
          settle = setTimeout(() => {
            const p = datasetClient().view(id, frame, request, 'png');
            pngReq = p;
            void p.promise
              .then(async (pr) => {
                if (live && pr.png) await setImageTrace(gd, pr.model, pr.png);
              })
              .catch(() => undefined);
          }, SETTLE_MS);
      })
      .catch((e: Error) => {
        if (live && e.name !== 'AbortError') setMessage(`${e.message}`);
      });
    return () => {
      live = false;
      clearTimeout(settle);
      pngReq?.cancel();
      req.cancel();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, frame, nFrames, v.field, v.plane, v.component, v.colormap, v.limitsMode, v.vmin, v.vmax, v.stride, v.quiver, v.arrowScale, v.arrowColor, v.playLimits]);

  // zoom, pan and resize: redraw the bitmap at the new axis ranges
  useEffect(() => {
    const gd = div.current as (PlotlyGd & { on?(ev: string, cb: () => void): void; __fsRelayout?: boolean }) | null;
    if (!gd) return;
    const redraw = () => canvas.current && drawBitmap(canvas.current, gd, shown.current?.bitmap ?? null, shown.current?.model ?? null);
    const t = setInterval(() => {
      if (gd.on && !gd.__fsRelayout) {
        gd.on('plotly_afterplot', redraw);
        gd.__fsRelayout = true;
        clearInterval(t);
      }
    }, 100);
    window.addEventListener('resize', redraw);
    return () => {
      clearInterval(t);
      window.removeEventListener('resize', redraw);
    };
  }, [active?.id]);

  // hover: value and physical coordinates of the cell under the pointer
  const onMove = (e: React.MouseEvent<HTMLDivElement>) => {
    const gd = div.current;
    const m = shown.current?.model;
    if (!gd || !m || m.kind === 'missing' || m.kind === 'line') return;
    const box = gd.getBoundingClientRect();
    const p = pixelToData(gd, e.clientX - box.left, e.clientY - box.top);
    if (!p) return;
    const fx = Math.round((p.x - m.x.start) / m.x.step);
    const fy = Math.round((p.y - m.y.start) / m.y.step);
    if (fx < 0 || fy < 0 || fx >= m.width || fy >= m.height) return;
    const ix = m.x.flipped ? m.width - 1 - fx : fx;
    const iy = m.y.flipped ? m.height - 1 - fy : fy;
    const k = iy * m.width + ix;
    const masked = !!m.mask?.[k];
    const xs = `${m.x.indexOnly ? 'i' : 'x'} = ${fmtNum(m.x.start + fx * m.x.step)} ${m.x.unit}`;
    const ys = `${m.y.indexOnly ? 'j' : 'y'} = ${fmtNum(m.y.start + fy * m.y.step)} ${m.y.unit}`;
    let val = masked ? 'masked' : m.values ? `${m.valueLabel} = ${fmtNum(m.values[k])} ${m.valueUnit}` : '';
    if (!masked && m.vectors) {
      const { u, v: vv, w } = m.vectors;
      val += `  (u = ${fmtNum(u[k])}, v = ${fmtNum(vv[k])}${w ? `, w = ${fmtNum(w[k])}` : ''})`;
    }
    setHover(`[${ix}, ${iy}]  ${xs}, ${ys}  ·  ${val}`);
  };

  if (!active) {
    return (
      <div className="plot-empty" data-testid="plot">
        <p>Drop a DaVis set, an imgstore folder, a py-pde movie or a PhiFlow scene here, or use “Open files…” / “Open folder…”.</p>
      </div>
    );
  }
  if (!nFrames) {
    return (
      <div className="plot-empty" data-testid="plot">
        <div className="notice" data-testid="notice">
          <p>
            <strong>{active.summary.name}</strong> ({active.summary.format}) has no frames that can be shown.
          </p>
          {active.summary.warnings.map((w, i) => (
            <p key={i}>{w}</p>
          ))}
          <p className="muted">Its header facts are in the metadata panel.</p>
        </div>
      </div>
    );
  }
  return (
    <div className="frame-view">
      {active.summary.warnings.length > 0 && (
        <div className="notice-bar" data-testid="notice" title={active.summary.warnings.join('\n')}>
          ⚠ {active.summary.warnings[0]}
          {active.summary.warnings.length > 1 && ` (+${active.summary.warnings.length - 1} more in the metadata panel)`}
        </div>
      )}
      <div className="plot-stack" onMouseMove={onMove}>
        <canvas ref={canvas} className="plot-bitmap" />
        <div ref={div} className="plot" data-testid="plot" />
      </div>
      <div className="hover-readout" data-testid="hover">
        {message ?? (hover || 'Hover the plot for values and coordinates.')}
      </div>
    </div>
  );
}

const unitSuffix = (u: string) => (!u ? '' : /^\[.*\]$/.test(u.trim()) ? ` ${u.trim()}` : ` [${u}]`);

type Gd = PlotlyGd & { __fsStructure?: string; __fsLimits?: string };

/**
 * Axes, colour bar and arrows. A full Plotly.react only when the structure changes (field, grid,
 * axes, colormap, arrow style); otherwise the colour bar limits and the arrows are restyled in place.
 */
async function drawAxes(gd: Gd, m: ViewModel, colormap: string, arrowScale: number, arrowColor: string, dataset: string): Promise<void> {
  const Plotly = await loadPlotly();
  const structure = [m.kind, m.field, m.width, m.height, m.x.start, m.x.step, m.y.start, m.y.step, colormap, arrowScale, arrowColor, !!m.quiver, !!m.limits, m.valueLabel, m.valueUnit, dataset].join('|');
  const layoutBase = {
    margin: { l: 70, r: 20, t: 36, b: 50 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    uirevision: `${dataset}/${m.field}/${m.width}x${m.height}`,
    title: { text: m.valueLabel, font: { size: 14 } },
    showlegend: false,
  };
  const config = { responsive: true, displaylogo: false, scrollZoom: true };
  const quiverTrace = (): Record<string, unknown> | null => {
    if (!m.quiver || !m.quiver.x.length) return null;
    const q = m.quiver;
    const cell = Math.max(m.x.step, m.y.step) * q.stride;
    return {
      type: 'quiver', x: q.x, y: q.y, u: q.u, v: q.v, anchor: 'center', lengthmode: 'raw',
      // raw lengths in data units: the largest arrow spans 0.9 of the sampling cell at scale 1
      lengthfactor: arrowScale * 0.9 * (cell / (q.maxMag || 1)), arrowref: 'data',
      marker:
        arrowColor === 'magnitude'
          ? { color: q.mag, cmin: 0, cmax: q.maxMag || 1, colorscale: plotlyColorscale('jet'), line: { width: 1.6 }, arrowsize: 1 }
          : { color: arrowColor === 'white' ? '#fff' : '#000', line: { width: 1.6, color: arrowColor === 'white' ? '#fff' : '#000' }, arrowsize: 1 },
      hovertemplate: 'x=%{x:.4g}, y=%{y:.4g}<br>u=%{u:.4g}, v=%{v:.4g}<extra></extra>',
    };
  };
  const hideImageTrace = () => gd.querySelectorAll<SVGImageElement>('svg.main-svg image').forEach((im) => im.setAttribute('visibility', 'hidden'));

  if (gd.__fsStructure === structure && gd.data && m.kind !== 'line' && m.kind !== 'missing') {
    hideImageTrace(); // the image trace shows the previous frame until the view settles
    const lim = String(m.limits);
    const colorbarAt = gd.data.findIndex((t) => t.type === 'scatter');
    if (m.limits && gd.__fsLimits !== lim && colorbarAt >= 0) {
      gd.__fsLimits = lim;
      // the colour bar follows the bitmap in the next task: the frame is on screen first
      const limits = m.limits;
      setTimeout(() => {
        if (gd.__fsLimits === lim) void Plotly.restyle(gd, { 'marker.cmin': [limits[0]], 'marker.cmax': [limits[1]], 'marker.color': [limits] } as never, [colorbarAt]);
      }, 0);
    }
    const q = quiverTrace();
    const quiverAt = gd.data.findIndex((t) => t.type === 'quiver');
    if (q && quiverAt >= 0) await Plotly.restyle(gd, { x: [q.x], y: [q.y], u: [q.u], v: [q.v], lengthfactor: [q.lengthfactor], ...(arrowColor === 'magnitude' ? { 'marker.color': [m.quiver!.mag], 'marker.cmax': [m.quiver!.maxMag || 1] } : {}) } as never, [quiverAt]);
    return;
  }
  gd.__fsStructure = structure;
  gd.__fsLimits = String(m.limits);
  if (m.kind === 'missing') {
    await Plotly.react(gd, [], { ...layoutBase, title: { text: 'no data for this field in this frame' } }, config);
    return;
  }
  if (m.kind === 'line' && m.line) {
    await Plotly.react(
      gd,
      [{ type: 'scatter', mode: 'lines+markers', x: Array.from(m.line.x), y: Array.from(m.line.y), marker: { size: 4 }, line: { width: 2 }, hoverinfo: 'x+y' }],
      { ...layoutBase, paper_bgcolor: '#fff', plot_bgcolor: '#fff', xaxis: { title: { text: m.x.label + unitSuffix(m.x.unit) } }, yaxis: { title: { text: m.valueLabel + unitSuffix(m.valueUnit) } } },
      config,
    );
    return;
  }
  const data: Record<string, unknown>[] = [];
  if (m.limits) {
    // an invisible marker trace that only draws the colour bar of the image
    data.push({
      type: 'scatter', mode: 'markers', x: [m.x.start], y: [m.y.start], hoverinfo: 'skip',
      marker: { size: 0.001, opacity: 0, color: m.limits, cmin: m.limits[0], cmax: m.limits[1], colorscale: plotlyColorscale(colormap), showscale: true,
        colorbar: { title: { text: m.valueLabel + unitSuffix(m.valueUnit), side: 'right' }, thickness: 14, len: 0.9 } },
    });
  }
  const q = quiverTrace();
  if (q) data.push(q);
  const xr = [m.x.start - m.x.step / 2, m.x.start + (m.width - 0.5) * m.x.step];
  const yr = [m.y.start - m.y.step / 2, m.y.start + (m.height - 0.5) * m.y.step];
  await Plotly.react(
    gd,
    data as never,
    {
      ...layoutBase,
      xaxis: { title: { text: m.x.label + unitSuffix(m.x.unit) }, range: xr, constrain: 'domain', showgrid: false, zeroline: false },
      yaxis: { title: { text: m.y.label + unitSuffix(m.y.unit) }, range: yr, scaleanchor: 'x', scaleratio: 1, constrain: 'domain', showgrid: false, zeroline: false },
    } as never,
    config,
  );
}

/** The settled frame also as Plotly's `image` trace (below the arrows), so Plotly's PNG export includes it. */
async function setImageTrace(gd: Gd, m: ViewModel, png: string): Promise<void> {
  const Plotly = await loadPlotly();
  if (!gd.data) return;
  const at = gd.data.findIndex((t) => t.type === 'image');
  const trace = { type: 'image', source: png, x0: m.x.start, dx: m.x.step, y0: m.y.start, dy: m.y.step, hoverinfo: 'skip', opacity: m.quiver ? 0.85 : 1 };
  if (at >= 0) await Plotly.deleteTraces(gd, at);
  await Plotly.addTraces(gd, trace as never, 0);
}
