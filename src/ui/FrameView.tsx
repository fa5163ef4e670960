import { useEffect, useRef, useState } from 'react';
import { plotlyColorscale } from '../render/colormaps';
import type { ViewModel } from '../render/view-model';
import { useActiveDataset } from '../state/datasets';
import { datasetClient } from '../state/client';
import { useView } from '../state/view';
import { fmtNum } from './format';
import { loadPlotly } from './plotly';
import { drawnStore } from './drawn';

interface Shown {
  model: ViewModel;
  url: string | null;
}

/** What the test hooks and the hover readout see of the frame on screen. */
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
  cached: boolean;
}

declare global {
  interface Window {
    __framescope?: { shown?: ShownSummary; valueAt?(ix: number, iy: number): number | null };
  }
}

/**
 * The plot: a scalar field as a colormapped bitmap (Plotly `image` trace) with physical axes and a
 * colourbar; vector fields add Plotly's native `quiver` trace on top; 1D fields are a line plot.
 * The bitmap is computed in the worker; this component only asks for it and draws.
 */
export function FrameView() {
  const active = useActiveDataset();
  const v = useView();
  const div = useRef<HTMLDivElement>(null);
  const shown = useRef<Shown | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [hover, setHover] = useState<string>('');

  const id = active?.id;
  const nFrames = active?.summary.frames.length ?? 0;
  const frame = Math.min(v.frame, Math.max(0, nFrames - 1));
  const manual: [number, number] | undefined = v.vmin !== null && v.vmax !== null ? [v.vmin, v.vmax] : undefined;

  useEffect(() => {
    if (!id || !nFrames || !v.field) return;
    const req = datasetClient().view(id, frame, {
      field: v.field,
      plane: v.plane,
      component: v.component,
      colormap: v.colormap,
      limitsMode: v.limitsMode,
      manual,
      stride: v.stride,
      quiver: v.quiver,
    });
    let live = true;
    req.promise
      .then(async (r) => {
        if (!live) return;
        const t0 = performance.now();
        const url = r.png ?? null;
        await draw(div.current!, r.model, url, v.colormap, v.arrowScale, v.arrowColor, active!.summary.name);
        shown.current = { model: r.model, url };
        bindHover(div.current!);
        setMessage(r.model.kind === 'missing' ? r.model.message ?? 'nothing to show' : null);
        const summary: ShownSummary = {
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
          cached: r.cached,
        };
        window.__framescope = {
          shown: summary,
          valueAt: (ix, iy) => {
            const m = shown.current?.model;
            if (!m?.values) return null;
            const k = iy * m.width + ix;
            return m.mask?.[k] ? null : m.values[k];
          },
        };
        div.current?.setAttribute('data-drawn-index', String(r.model.info.index));
        drawnStore.getState().setDrawn(r.model.info.index, r.attributes);
      })
      .catch((e: Error) => {
        if (live && e.name !== 'AbortError') setMessage(`${e.message}`);
      });
    return () => {
      live = false;
      req.cancel();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, frame, nFrames, v.field, v.plane, v.component, v.colormap, v.limitsMode, v.vmin, v.vmax, v.stride, v.quiver, v.arrowScale, v.arrowColor]);

  // Hover: value and physical coordinates of the cell under the pointer (bound once Plotly owns the div).
  const onHover = useRef<(e: unknown) => void>(() => undefined);
  onHover.current = (e: unknown) => {
    const m = shown.current?.model;
    const pt = (e as { points?: { x: number; y: number }[] }).points?.[0];
    if (!m || !pt) return;
    if (m.kind === 'line') {
      setHover(`x = ${fmtNum(pt.x)} ${m.x.unit}  ·  ${m.valueLabel} = ${fmtNum(pt.y)} ${m.valueUnit}`);
      return;
    }
    const fx = Math.round((pt.x - m.x.start) / m.x.step);
    const fy = Math.round((pt.y - m.y.start) / m.y.step);
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
  const bindHover = (el: HTMLDivElement) => {
    const p = el as HTMLDivElement & { on?(ev: string, cb: (e: unknown) => void): void; __fsHover?: boolean };
    if (p.on && !p.__fsHover) {
      p.on('plotly_hover', (e) => onHover.current(e));
      p.__fsHover = true;
    }
  };

  if (!active) {
    return (
      <div className="plot-empty" data-testid="plot">
        <p>Drop a DaVis set, an imgstore folder, a py-pde movie or a PhiFlow scene here, or use “Open files…” / “Open folder…”.</p>
      </div>
    );
  }
  return (
    <div className="frame-view">
      <div ref={div} className="plot" data-testid="plot" />
      <div className="hover-readout" data-testid="hover">
        {message ?? (hover || 'Hover the plot for values and coordinates.')}
      </div>
    </div>
  );
}

async function draw(el: HTMLDivElement, m: ViewModel, url: string | null, colormap: string, arrowScale: number, arrowColor: string, dataset: string): Promise<void> {
  const Plotly = await loadPlotly();
  const unitSuffix = (u: string) => (!u ? '' : /^\[.*\]$/.test(u.trim()) ? ` ${u.trim()}` : ` [${u}]`);
  const layoutBase = {
    margin: { l: 70, r: 20, t: 36, b: 50 },
    paper_bgcolor: '#fff',
    plot_bgcolor: '#eee',
    uirevision: `${dataset}/${m.field}/${m.width}x${m.height}`,
    title: { text: `${m.valueLabel} — frame ${m.info.number}${m.info.time !== null ? `, t = ${fmtNum(m.info.time)}` : ''}`, font: { size: 14 } },
    showlegend: false,
  };
  const config = { responsive: true, displaylogo: false, scrollZoom: true };
  if (m.kind === 'missing') {
    await Plotly.react(el, [], { ...layoutBase, title: { text: 'no data for this field in this frame' } }, config);
    return;
  }
  if (m.kind === 'line' && m.line) {
    await Plotly.react(
      el,
      [{ type: 'scatter', mode: 'lines+markers', x: Array.from(m.line.x), y: Array.from(m.line.y), marker: { size: 4 }, line: { width: 2 }, hoverinfo: 'x+y' }],
      { ...layoutBase, xaxis: { title: { text: m.x.label + unitSuffix(m.x.unit) } }, yaxis: { title: { text: m.valueLabel + unitSuffix(m.valueUnit) } } },
      config,
    );
    return;
  }
  const data: Record<string, unknown>[] = [];
  if (url) data.push({ type: 'image', source: url, x0: m.x.start, dx: m.x.step, y0: m.y.start, dy: m.y.step, hoverinfo: 'none', opacity: m.quiver ? 0.85 : 1 });
  if (m.limits) {
    // an invisible marker trace only to draw the colourbar of the image
    data.push({
      type: 'scatter', mode: 'markers', x: [m.x.start], y: [m.y.start], hoverinfo: 'skip',
      marker: { size: 0.001, opacity: 0, color: m.limits, cmin: m.limits[0], cmax: m.limits[1], colorscale: plotlyColorscale(colormap), showscale: true,
        colorbar: { title: { text: m.valueLabel + unitSuffix(m.valueUnit), side: 'right' }, thickness: 14, len: 0.9 } },
    });
  }
  if (m.quiver && m.quiver.x.length) {
    const q = m.quiver;
    const cell = Math.max(m.x.step, m.y.step) * q.stride;
    data.push({
      type: 'quiver', x: q.x, y: q.y, u: q.u, v: q.v, anchor: 'center', lengthmode: 'raw',
      // raw lengths in data units: the largest arrow spans 0.9 of the sampling cell at scale 1
      lengthfactor: arrowScale * 0.9 * (cell / (q.maxMag || 1)), arrowref: 'data',
      marker:
        arrowColor === 'magnitude'
          ? { color: q.mag, cmin: 0, cmax: q.maxMag || 1, colorscale: plotlyColorscale('jet'), line: { width: 1.6 }, arrowsize: 1 }
          : { color: arrowColor === 'white' ? '#fff' : '#000', line: { width: 1.6, color: arrowColor === 'white' ? '#fff' : '#000' }, arrowsize: 1 },
      hovertemplate: 'x=%{x:.4g}, y=%{y:.4g}<br>u=%{u:.4g}, v=%{v:.4g}<extra></extra>',
    });
  }
  const xr = [m.x.start - m.x.step / 2, m.x.start + (m.width - 0.5) * m.x.step];
  const yr = [m.y.start - m.y.step / 2, m.y.start + (m.height - 0.5) * m.y.step];
  await Plotly.react(
    el,
    data as never,
    {
      ...layoutBase,
      xaxis: { title: { text: m.x.label + unitSuffix(m.x.unit) }, range: xr, constrain: 'domain', showgrid: false, zeroline: false },
      yaxis: { title: { text: m.y.label + unitSuffix(m.y.unit) }, range: yr, scaleanchor: 'x', scaleratio: 1, constrain: 'domain', showgrid: false, zeroline: false },
    } as never,
    config,
  );
}
