import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { arrowLengthFactor } from '../render/arrows';
import { plotlyColorscale } from '../render/colormaps';
import type { ViewModel } from '../render/view-model';
import { compareController, panelSlot, useCompare } from '../state/compare';
import { useActiveDataset, useDatasets } from '../state/datasets';
import { mainPlayer, type Presenter } from '../state/player';
import { probeShapes } from '../state/probes';
import { useView } from '../state/view';
import type { ViewResult } from '../workers/protocol';
import { fmtNum } from './format';
import { drawBitmap, pixelToData, type PlotlyGd } from './plot-bitmap';
import { loadPlotly } from './plotly';
import { ProbeOverlay } from './ProbeOverlay';
import { savePlotPng } from './plot-snapshot';

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
  /** the y axis points down (image convention) */
  yDown?: boolean;
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
      /** the frame that could not be read, if the plot shows one */
      frameError?: { index: number; message: string } | null;
      /** compare panels: what each shows */
      panels?: Record<number, ShownSummary | null>;
    };
  }
}

/** Show a "reading frame …" badge when a frame takes longer than this to arrive. */
const PENDING_BADGE_MS = 200;

/**
 * The plot. The frame controller (`state/player.ts`) asks the worker for frames and hands each
 * result to this view's presenter: the colormapped bitmap is drawn on a canvas beneath Plotly's
 * transparent axes (about 1 ms), Plotly draws the axes with physical units, the colour bar and the
 * native `quiver` trace. A frame that cannot be read replaces the picture with its reason.
 * 1D fields are a Plotly line plot.
 */
export function FrameView({ panel }: { panel?: number } = {}) {
  const main = panel === undefined;
  const mainActive = useActiveDataset();
  const panelDataset = useCompare((c) => (main ? null : c.panels[panel].datasetId));
  const panelActive = useDatasets((s) => (panelDataset ? (s.datasets.find((d) => d.id === panelDataset) ?? null) : null));
  const active = main ? mainActive : panelActive;
  const mainState = useView(useShallow((s) => ({ mask: s.mask, frame: s.frame })));
  const mask = mainState.mask;
  const panelIndex = useCompare((c) => (main || c.layout === 1 ? null : panelSlot(panel).index));
  const wanted = main ? mainState.frame : (panelIndex ?? -1);
  const player = main ? null : compareController().players[panel];
  const tid = (name: string) => (main ? name : `view-${panel}${name === 'plot' ? '' : `-${name}`}`);
  const loading = useDatasets((s) => s.loading);
  const div = useRef<PlotlyGd>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const shown = useRef<{ model: ViewModel; bitmap: ImageBitmap | null; datasetId: string } | null>(null);
  const pointer = useRef<{ x: number; y: number } | null>(null);
  const maskRef = useRef(mask);
  maskRef.current = mask;
  const [message, setMessage] = useState<string | null>(null);
  const [frameError, setFrameError] = useState<{ index: number; message: string } | null>(null);
  const [hover, setHover] = useState<string>('');
  const [drawnIndex, setDrawnIndex] = useState<number>(-1);
  const [pending, setPending] = useState(false);
  /** the wanted frame while the picture on screen is a nearby one (scrubbing a video), else null */
  const [approx, setApprox] = useState<number | null>(null);

  const nFrames = active?.summary.frames.length ?? 0;
  const hasPlot = !!active && nFrames > 0;

  // the presenter: how this view draws what the controller hands it
  useEffect(() => {
    if (!hasPlot) return;
    const readout = () => {
      const p = pointer.current;
      const linked = main ? null : useCompare.getState().pointer;
      if (p && div.current) setHover(describeAt(div.current, shown.current?.model ?? null, p.x, p.y));
      else if (linked && linked.panel !== panel) setHover(describePhysical(shown.current?.model ?? null, linked.x, linked.y));
      else setHover('');
    };
    const unsubPointer = main ? () => undefined : useCompare.subscribe((c, prev) => c.pointer !== prev.pointer && readout());
    const presenter: Presenter = {
      async present(r: ViewResult, datasetId: string, opts?: { approximateFor?: number }) {
        const gd = div.current;
        const cv = canvas.current;
        if (!gd || !cv) {
          r.bitmap?.close();
          return;
        }
        const t0 = performance.now();
        const v = useView.getState();
        const tReq = t0 - (r.readMs + r.renderMs);
        const cmp = useCompare.getState();
        const colormap = main ? v.colormap : cmp.panels[panel].colormap;
        await drawAxes(gd, r.model, colormap, v.arrowScale, v.arrowColor, datasetId, main ? v.zoom : null, !main);
        if (!main) {
          registerPanel(panel, gd);
          if (panel === 0 && String(cmp.limits0) !== String(r.model.limits ?? null)) cmp.set({ limits0: r.model.limits ?? null });
        }
        drawBitmap(cv, gd, r.bitmap ?? null, r.model, maskRef.current);
        shown.current?.bitmap?.close();
        shown.current = { model: r.model, bitmap: r.bitmap ?? null, datasetId };
        setMessage(r.model.kind === 'missing' ? (r.model.message ?? 'nothing to show') : null);
        setFrameError(null);
        setDrawnIndex(r.model.info.index);
        const approximateFor = opts?.approximateFor ?? null;
        setApprox(approximateFor);
        const trace = window.__framescope?.trace ?? [];
        trace.push([tReq, t0, performance.now()]);
        if (trace.length > 256) trace.shift();
        const ds = useDatasets.getState().datasets.find((d) => d.id === datasetId);
        const summary: ShownSummary = {
          dataset: ds?.summary.name ?? '',
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
          yDown: !!r.model.y.down,
          readMs: r.readMs,
          renderMs: r.renderMs,
          drawMs: performance.now() - t0,
          waitMs: r.readMs + r.renderMs,
          cached: r.cached,
        };
        gd.setAttribute('data-drawn-index', String(r.model.info.index));
        gd.setAttribute('data-frame-drawn', String(r.model.info.index));
        gd.removeAttribute('data-frame-error');
        // scrubbing: this picture is a nearby frame shown until the wanted one is decoded
        if (approximateFor !== null) gd.setAttribute('data-frame-approximate', String(approximateFor));
        else gd.removeAttribute('data-frame-approximate');
        if (!main) {
          window.__framescope ??= {};
          window.__framescope.panels = { ...window.__framescope.panels, [panel]: summary };
          readout();
          return;
        }
        window.__framescope = {
          panels: window.__framescope?.panels,
          trace,
          frameError: null,
          go: (i) => useView.getState().set({ frame: i }),
          shown: summary,
          valueAt: (ix, iy) => {
            const m = shown.current?.model;
            if (!m?.values) return null;
            const k = iy * m.width + ix;
            return m.mask?.[k] ? null : m.values[k];
          },
        };
        readout();
      },
      fail(index: number, error: Error) {
        const gd = div.current;
        shown.current?.bitmap?.close();
        shown.current = null;
        if (canvas.current && gd) drawBitmap(canvas.current, gd, null, null, maskRef.current);
        const msg = error.message || String(error);
        setFrameError({ index, message: msg });
        setMessage(null);
        setDrawnIndex(index);
        setApprox(null);
        setHover('');
        if (window.__framescope) window.__framescope.frameError = { index, message: msg };
        if (gd) {
          hideQuiver(gd);
          gd.setAttribute('data-drawn-index', String(index));
          gd.setAttribute('data-frame-drawn', String(index));
          gd.setAttribute('data-frame-error', String(index));
          gd.removeAttribute('data-frame-approximate');
        }
      },
      clear() {
        shown.current?.bitmap?.close();
        shown.current = null;
        setHover('');
        const gd = div.current;
        if (!main && gd && canvas.current) {
          // a compare panel with no frame at the cursor (gap policy "blank"): nothing, not the last picture
          drawBitmap(canvas.current, gd, null, null, maskRef.current);
          hideQuiver(gd);
          setDrawnIndex(-1);
          setApprox(null);
          gd.setAttribute('data-frame-drawn', 'none');
          gd.removeAttribute('data-frame-approximate');
        }
      },
    };
    const detach = (player ?? mainPlayer).attach(presenter);
    return () => {
      unsubPointer();
      detach();
    };
  }, [hasPlot, player, main, panel]);

  // a badge while the wanted frame is not the one on screen for a while
  useEffect(() => {
    setPending(false);
    if (!hasPlot || wanted === drawnIndex) return;
    const t = setTimeout(() => setPending(true), PENDING_BADGE_MS);
    return () => clearTimeout(t);
  }, [hasPlot, wanted, drawnIndex]);

  // zoom, pan and resize: redraw the bitmap at the new axis ranges; remember the zoom per dataset
  useEffect(() => {
    if (!hasPlot) return;
    const gd = div.current as (PlotlyGd & { on?(ev: string, cb: (e?: unknown) => void): void; __fsRelayout?: boolean }) | null;
    if (!gd) return;
    const redraw = () => canvas.current && drawBitmap(canvas.current, gd, shown.current?.bitmap ?? null, shown.current?.model ?? null, maskRef.current);
    const onRelayout = (e?: unknown) => {
      const ev = (e ?? {}) as Record<string, unknown>;
      if (!main) {
        linkZoom(panel, gd as Gd, ev);
        return;
      }
      if (ev['xaxis.autorange'] || ev['yaxis.autorange']) useView.getState().set({ zoom: null });
      else if ('xaxis.range[0]' in ev || 'yaxis.range[0]' in ev) {
        const xr = gd._fullLayout?.xaxis?.range;
        const yr = gd._fullLayout?.yaxis?.range;
        if (xr && yr) useView.getState().set({ zoom: [xr[0], xr[1], yr[0], yr[1]] });
      }
    };
    const t = setInterval(() => {
      if (gd.on && !gd.__fsRelayout) {
        gd.on('plotly_afterplot', redraw);
        gd.on('plotly_relayout', onRelayout);
        gd.__fsRelayout = true;
        clearInterval(t);
      }
    }, 100);
    window.addEventListener('resize', redraw);
    return () => {
      clearInterval(t);
      window.removeEventListener('resize', redraw);
    };
  }, [hasPlot]);

  // a new mask style: repaint what is on screen
  useEffect(() => {
    const gd = div.current;
    if (gd && canvas.current && shown.current) drawBitmap(canvas.current, gd, shown.current.bitmap, shown.current.model, mask);
  }, [mask]);

  const onMove = (e: React.MouseEvent<HTMLDivElement>) => {
    const gd = div.current;
    if (!gd) return;
    const box = gd.getBoundingClientRect();
    pointer.current = { x: e.clientX - box.left, y: e.clientY - box.top };
    setHover(describeAt(gd, shown.current?.model ?? null, pointer.current.x, pointer.current.y));
    if (!main) {
      const p = pixelToData(gd, pointer.current.x, pointer.current.y);
      useCompare.getState().set({ pointer: p ? { ...p, panel } : null });
    }
  };
  const onLeave = () => {
    pointer.current = null;
    setHover('');
    if (!main) useCompare.getState().set({ pointer: null });
  };

  if (!active) {
    return (
      <div className="plot-empty" data-testid="plot">
        {loading.length ? (
          <OpeningProgress names={loading.map((l) => l.name)} since={loading[0].since} />
        ) : (
          <p>Drop a DaVis set, an imgstore folder, a py-pde movie or a PhiFlow scene here, or use “Open files…” / “Open folder…”.</p>
        )}
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
  const frames = active.summary.frames;
  return (
    <div className="frame-view">
      {active.summary.warnings.length > 0 && (
        <div className="notice-bar" data-testid="notice" title={active.summary.warnings.join('\n')}>
          ⚠ {active.summary.warnings[0]}
          {active.summary.warnings.length > 1 && ` (+${active.summary.warnings.length - 1} more in the metadata panel)`}
        </div>
      )}
      <div
        className="plot-stack"
        onMouseMove={onMove}
        onMouseLeave={onLeave}
        onPointerDown={() => div.current && ((div.current as Gd).__fsTouched = performance.now())}
        onWheel={() => div.current && ((div.current as Gd).__fsTouched = performance.now())}
        onDoubleClick={() => div.current && ((div.current as Gd).__fsTouched = performance.now())}
      >
        <canvas ref={canvas} className="plot-bitmap" />
        <div ref={div} className="plot" data-testid={tid('plot')} />
        <ProbeOverlay gd={div} />
        {frameError && (
          <div className="frame-error" data-testid={tid('frame-error')} role="alert">
            <strong>
              Frame {frameError.index + 1} of {frames.length}
              {frames[frameError.index] && frames[frameError.index].number !== frameError.index ? ` (number ${frames[frameError.index].number})` : ''} could not
              be read.
            </strong>
            <p>{frameError.message}</p>
            <p className="muted">The other frames are not affected; step on to continue.</p>
          </div>
        )}
        {loading.length > 0 && !frameError && (
          <div className="plot-badge">
            <OpeningProgress names={loading.map((l) => l.name)} since={loading[0].since} />
          </div>
        )}
        {approx !== null && approx === wanted && !frameError && !loading.length && (
          <div
            className="plot-badge approx"
            data-testid={tid('frame-approx')}
            title="While scrubbing, the nearest frame already decoded (or the keyframe of the wanted frame's group of pictures) is shown at once; the wanted frame replaces it as soon as it is decoded."
          >
            <span className="spinner" /> ≈ showing frame {drawnIndex + 1}, decoding frame {wanted + 1}…
          </div>
        )}
        {pending && approx !== wanted && !frameError && !loading.length && (
          <div className="plot-badge" data-testid={tid('frame-pending')}>
            <span className="spinner" /> reading frame {wanted + 1}…
          </div>
        )}
        <button
          className="snapshot"
          title="Save the plot as PNG (image, axes, colour bar and arrows)"
          onClick={() => div.current && canvas.current && void savePlotPng(div.current, canvas.current, `${active.label}-frame${drawnIndex}`)}
        >
          PNG
        </button>
      </div>
      <div className="hover-readout" data-testid={tid('hover')}>
        {message ?? (hover || 'Hover the plot for values and coordinates.')}
      </div>
    </div>
  );
}

/** A spinner, the datasets being opened and the seconds spent so far. */
function OpeningProgress({ names, since }: { names: string[]; since: number }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((k) => k + 1), 250);
    return () => clearInterval(t);
  }, []);
  const s = (performance.now() - since) / 1000;
  return (
    <div className="opening" data-testid="opening">
      <span className="spinner" /> Opening {names.join(', ')} — detecting the format and reading its index… {s >= 0.5 ? `${s.toFixed(1)} s` : ''}
    </div>
  );
}

/** The readout for the plot pixel (px, py): frame, cell, physical coordinates and value(s). */
function describeAt(gd: PlotlyGd, m: ViewModel | null, px: number, py: number): string {
  if (!m || m.kind === 'missing' || m.kind === 'line') return '';
  const p = pixelToData(gd, px, py);
  if (!p) return '';
  return describePhysical(m, p.x, p.y);
}

/** The readout at the physical point (x, y) (the linked cursor of compare panels uses it directly). */
function describePhysical(m: ViewModel | null, x: number, y: number): string {
  if (!m || m.kind === 'missing' || m.kind === 'line') return '';
  const p = { x, y };
  const fx = Math.round((p.x - m.x.start) / m.x.step);
  const fy = Math.round((p.y - m.y.start) / m.y.step);
  if (fx < 0 || fy < 0 || fx >= m.width || fy >= m.height) return '';
  const ix = m.x.flipped ? m.width - 1 - fx : fx;
  const iy = m.y.flipped ? m.height - 1 - fy : fy;
  const k = iy * m.width + ix;
  const masked = !!m.mask?.[k];
  const xs = `${m.x.indexOnly ? 'i' : 'x'} = ${fmtNum(m.x.start + fx * m.x.step)} ${m.x.unit}`;
  const ys = `${m.y.indexOnly ? 'j' : 'y'} = ${fmtNum(m.y.start + fy * m.y.step)} ${m.y.unit}`;
  let val = '';
  if (masked) val = 'masked';
  else if (m.kind === 'rgb' && m.rgb) {
    const o = k * 3;
    val = `${m.valueLabel}: R = ${m.rgb[o]}, G = ${m.rgb[o + 1]}, B = ${m.rgb[o + 2]}`;
  } else if (m.values) val = `${m.valueLabel} = ${fmtNum(m.values[k])} ${m.valueUnit}`;
  if (!masked && m.vectors) {
    const { u, v: vv, w } = m.vectors;
    val += `  (u = ${fmtNum(u[k])}, v = ${fmtNum(vv[k])}${w ? `, w = ${fmtNum(w[k])}` : ''})`;
  }
  return `frame ${m.info.index + 1} [${ix}, ${iy}]  ${xs}, ${ys}  ·  ${val}`;
}

/** Compare panels by index: their plot divs, for linked zoom. */
const panelPlots = new Map<number, Gd>();
function registerPanel(i: number, gd: Gd): void {
  panelPlots.set(i, gd);
}
let linking = false;

/** A zoom or pan in one compare panel applies to the panels of the same physical extent (when linked). */
function linkZoom(from: number, gd: Gd, ev: Record<string, unknown>): void {
  const c = useCompare.getState();
  // only what a person did in this panel (drag, wheel, double-click) is passed on
  if (linking || !c.linkZoom || c.layout === 1 || performance.now() - (gd.__fsTouched ?? -1e9) > 1500) return;
  const xr = gd._fullLayout?.xaxis?.range;
  const yr = gd._fullLayout?.yaxis?.range;
  const auto = !!(ev['xaxis.autorange'] || ev['yaxis.autorange']);
  if (!auto && !('xaxis.range[0]' in ev || 'yaxis.range[0]' in ev || 'xaxis.range' in ev)) return;
  linking = true;
  void loadPlotly()
    .then(async (Plotly) => {
      for (const [i, other] of panelPlots) {
        if (i === from || i >= c.layout || !other.isConnected || other.__fsExtent !== gd.__fsExtent) continue;
        // a reset goes back to the panel's own full extent (autorange would pad a constrained axis)
        const full = other.__fsFull;
        const upd = auto || !xr || !yr ? (full ? { 'xaxis.range': full.x, 'yaxis.range': full.y } : null) : { 'xaxis.range': [...xr], 'yaxis.range': [...yr] };
        if (upd) await Plotly.relayout(other, upd as never);
      }
    })
    .finally(() => {
      linking = false;
    });
}

const unitSuffix = (u: string) => (!u ? '' : /^\[.*\]$/.test(u.trim()) ? ` ${u.trim()}` : ` [${u}]`);

type Gd = PlotlyGd & {
  __fsStructure?: string;
  __fsLimits?: string;
  __fsZoomed?: string;
  __fsExtent?: string;
  __fsFull?: { x: number[]; y: number[] };
  __fsTouched?: number;
};

function hideQuiver(gd: Gd): void {
  const at = gd.data?.findIndex((t) => t.type === 'quiver') ?? -1;
  if (at >= 0) void loadPlotly().then((Plotly) => Plotly.restyle(gd, { visible: [false] } as never, [at]));
  gd.__fsStructure = undefined;
}

/**
 * Axes, colour bar and arrows. A full Plotly.react only when the structure changes (field, grid,
 * axes, colormap, arrow style); otherwise the colour bar limits and the arrows are restyled in place.
 * Zoom survives frame and field switches of the same grid (uirevision keys on dataset and grid).
 */
async function drawAxes(
  gd: Gd,
  m: ViewModel,
  colormap: string,
  arrowScale: number,
  arrowColor: string,
  datasetId: string,
  zoom: [number, number, number, number] | null,
  panel = false,
): Promise<void> {
  const Plotly = await loadPlotly();
  const structure = [
    m.kind,
    m.field,
    m.width,
    m.height,
    m.x.start,
    m.x.step,
    m.y.start,
    m.y.step,
    m.y.down,
    colormap,
    arrowScale,
    arrowColor,
    !!m.quiver,
    !!m.limits,
    m.valueLabel,
    m.valueUnit,
    datasetId,
  ].join('|');
  const grid = `${datasetId}/${m.width}x${m.height}/${m.x.start},${m.x.step},${m.y.start},${m.y.step}`;
  const layoutBase = {
    margin: { l: 70, r: 20, t: 36, b: 50 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    // compare panels: zoom comes from the user or a linked panel only, so a new structure starts at full extent
    uirevision: panel ? structure : grid,
    title: { text: m.valueLabel, font: { size: 14 } },
    showlegend: false,
    // the probe (state/probes.ts) in physical coordinates
    shapes: probeShapes(),
  };
  const config = { responsive: true, displaylogo: false, scrollZoom: true, modeBarButtonsToRemove: ['toImage' as const] };
  const quiverTrace = (): Record<string, unknown> | null => {
    if (!m.quiver?.x.length) return null;
    const q = m.quiver;
    return {
      type: 'quiver',
      x: q.x,
      y: q.y,
      u: q.u,
      v: q.v,
      anchor: 'center',
      lengthmode: 'raw',
      // raw lengths in data units (the rule shared with the rendered exports)
      lengthfactor: arrowLengthFactor(q, m.x.step, m.y.step, arrowScale),
      arrowref: 'data',
      marker:
        arrowColor === 'magnitude'
          ? { color: q.mag, cmin: 0, cmax: q.maxMag || 1, colorscale: plotlyColorscale('jet'), line: { width: 1.6 }, arrowsize: 1 }
          : { color: arrowColor === 'white' ? '#fff' : '#000', line: { width: 1.6, color: arrowColor === 'white' ? '#fff' : '#000' }, arrowsize: 1 },
      hovertemplate: 'x=%{x:.4g}, y=%{y:.4g}<br>u=%{u:.4g}, v=%{v:.4g}<extra></extra>',
    };
  };

  if (gd.__fsStructure === structure && gd.data && m.kind !== 'line' && m.kind !== 'missing') {
    const lim = String(m.limits);
    const colorbarAt = gd.data.findIndex((t) => t.type === 'scatter');
    if (m.limits && gd.__fsLimits !== lim && colorbarAt >= 0) {
      gd.__fsLimits = lim;
      // the colour bar follows the bitmap in the next task: the frame is on screen first
      const limits = m.limits;
      setTimeout(() => {
        if (gd.__fsLimits === lim)
          void Plotly.restyle(gd, { 'marker.cmin': [limits[0]], 'marker.cmax': [limits[1]], 'marker.color': [limits] } as never, [colorbarAt]);
      }, 0);
    }
    const q = quiverTrace();
    const quiverAt = gd.data.findIndex((t) => t.type === 'quiver');
    if (q && quiverAt >= 0)
      await Plotly.restyle(
        gd,
        {
          x: [q.x],
          y: [q.y],
          u: [q.u],
          v: [q.v],
          lengthfactor: [q.lengthfactor],
          visible: [true],
          ...(arrowColor === 'magnitude' ? { 'marker.color': [m.quiver!.mag], 'marker.cmax': [m.quiver!.maxMag || 1] } : {}),
        } as never,
        [quiverAt],
      );
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
      {
        ...layoutBase,
        paper_bgcolor: '#fff',
        plot_bgcolor: '#fff',
        xaxis: { title: { text: m.x.label + unitSuffix(m.x.unit) } },
        yaxis: { title: { text: m.valueLabel + unitSuffix(m.valueUnit) } },
      },
      config,
    );
    return;
  }
  const data: Record<string, unknown>[] = [];
  if (m.limits) {
    // an invisible marker trace that only draws the colour bar of the image
    data.push({
      type: 'scatter',
      mode: 'markers',
      x: [m.x.start],
      y: [m.y.start],
      hoverinfo: 'skip',
      marker: {
        size: 0.001,
        opacity: 0,
        color: m.limits,
        cmin: m.limits[0],
        cmax: m.limits[1],
        colorscale: plotlyColorscale(colormap),
        showscale: true,
        colorbar: { title: { text: m.valueLabel + unitSuffix(m.valueUnit), side: 'right' }, thickness: 14, len: 0.9 },
      },
    });
  }
  const q = quiverTrace();
  if (q) data.push(q);
  const xr = [m.x.start - m.x.step / 2, m.x.start + (m.width - 0.5) * m.x.step];
  const yr = [m.y.start - m.y.step / 2, m.y.start + (m.height - 0.5) * m.y.step];
  // images: row 0 at the top, the y axis pointing down; physical scales run upward
  const yRange = m.y.down ? [yr[1], yr[0]] : yr;
  gd.__fsExtent = [...xr, ...yr].map((v) => v.toPrecision(6)).join(',');
  gd.__fsFull = { x: xr, y: yRange };
  // a zoom saved with this dataset's view comes back the first time its grid is drawn
  const z = zoom && gd.__fsZoomed !== grid ? zoom : null;
  gd.__fsZoomed = grid;
  await Plotly.react(
    gd,
    data as never,
    {
      ...layoutBase,
      xaxis: { title: { text: m.x.label + unitSuffix(m.x.unit) }, range: z ? [z[0], z[1]] : xr, constrain: 'domain', showgrid: false, zeroline: false },
      yaxis: {
        title: { text: m.y.label + unitSuffix(m.y.unit) },
        range: z ? [z[2], z[3]] : yRange,
        scaleanchor: 'x',
        scaleratio: 1,
        constrain: 'domain',
        showgrid: false,
        zeroline: false,
      },
    } as never,
    config,
  );
  // Plotly.react on a plot that had another structure can widen a constrained range instead of
  // shrinking the domain: put the requested extent back (once; a relayout constrains afresh)
  const want = z ? { x: [z[0], z[1]], y: [z[2], z[3]] } : { x: xr, y: yRange };
  const got = gd._fullLayout?.yaxis?.range;
  const gotX = gd._fullLayout?.xaxis?.range;
  const off = (a: number[] | undefined, b: number[]) => !a || Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) > 1e-9 * (Math.abs(b[1] - b[0]) || 1);
  if (off(got, want.y) || off(gotX, want.x)) await Plotly.relayout(gd, { 'xaxis.range': want.x, 'yaxis.range': want.y } as never);
}
