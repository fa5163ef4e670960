import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { COLORMAP_NAMES, defaultColormapFor } from '../render/colormaps';
import type { AlignMode, GapPolicy } from '../state/align';
import { alignment, compareController, compareTimeline, fieldOf, panelSlot, setLayout, useCompare, type PanelMode } from '../state/compare';
import { useDatasets } from '../state/datasets';
import { useView } from '../state/view';
import { fmtNum, fmtTime } from './format';
import { openComparisonExport } from './ExportDialog';
import { FrameView } from './FrameView';
import { FpsInput, useTimelineKeys } from './timeline-parts';

const COMPARE_KEYS = { step: (d: number) => compareTimeline.step(d), toggle: () => useView.getState().set({ playing: !useView.getState().playing }) };

/** The layout picker (top bar): the single view, or 2 / 4 panels on one timeline. */
export function LayoutPicker() {
  const layout = useCompare((c) => c.layout);
  const n = useDatasets((s) => s.datasets.length);
  return (
    <label className="layout-picker" title="compare datasets side by side on one timeline">
      Panels{' '}
      <select data-testid="layout" value={layout} disabled={!n} onChange={(e) => setLayout(Number(e.target.value) as 1 | 2 | 4)}>
        <option value={1}>1</option>
        <option value={2}>2</option>
        <option value={4}>4</option>
      </select>
    </label>
  );
}

/** 2 or 4 plot panels, each with its dataset, field, mode and time offset, and the comparison's settings. */
export function CompareView() {
  const { layout, alignMode, gaps, linkZoom, sharedLimits, blinkHz, set } = useCompare(
    useShallow((c) => ({
      layout: c.layout,
      alignMode: c.align,
      gaps: c.gaps,
      linkZoom: c.linkZoom,
      sharedLimits: c.sharedLimits,
      blinkHz: c.blinkHz,
      set: c.set,
    })),
  );
  useEffect(() => void compareController(), []);
  return (
    <div className="compare">
      <div className="compare-bar">
        <label>
          Align by{' '}
          <select data-testid="align" value={alignMode} onChange={(e) => set({ align: e.target.value as AlignMode, cursor: 0 })}>
            <option value="index">frame index</option>
            <option value="number">frame number</option>
            <option value="time">time (+ offsets)</option>
          </select>
        </label>
        <label title="what a panel shows where its dataset has no frame at the cursor">
          Gaps{' '}
          <select data-testid="gaps" value={gaps} onChange={(e) => set({ gaps: e.target.value as GapPolicy, cursor: 0 })}>
            <option value="hold">hold the last frame</option>
            <option value="blank">show nothing</option>
            <option value="skip">skip (only where all have a frame)</option>
          </select>
        </label>
        <label className="check">
          <input data-testid="link-zoom" type="checkbox" checked={linkZoom} onChange={(e) => set({ linkZoom: e.target.checked })} /> link zoom
        </label>
        <label className="check">
          <input data-testid="shared-limits" type="checkbox" checked={sharedLimits} onChange={(e) => set({ sharedLimits: e.target.checked })} /> shared colour
          limits (panel 1's)
        </label>
        <label>
          blink{' '}
          <input
            data-testid="blink-hz"
            className="num"
            type="number"
            min={0.2}
            max={20}
            step={0.2}
            value={blinkHz}
            onChange={(e) => set({ blinkHz: Math.max(0.2, Number(e.target.value) || 1) })}
          />{' '}
          Hz
        </label>
        <button data-testid="compare-export" onClick={openComparisonExport} title="a rendered movie (or PNGs) of the whole grid with the common time label">
          Export comparison…
        </button>
      </div>
      <div className={`compare-grid n${layout}`}>
        {Array.from({ length: layout }, (_, i) => (
          <Panel key={i} i={i} />
        ))}
      </div>
    </div>
  );
}

function Panel({ i }: { i: number }) {
  const p = useCompare((c) => c.panels[i]);
  const setPanel = useCompare((c) => c.setPanel);
  const alignMode = useCompare((c) => c.align);
  const slot = useCompare(useShallow(() => panelSlot(i)));
  const blinkPhase = useCompare((c) => c.blinkPhase);
  const datasets = useDatasets((s) => s.datasets);
  const d = datasets.find((x) => x.id === p.datasetId);
  const ref = datasets.find((x) => x.id === p.refId);
  const field = d ? fieldOf(d, p.field) : '';
  const needsRef = p.mode !== 'normal';
  const frame = slot.index !== null && d ? d.summary.frames[slot.index] : null;
  const shownLabel =
    slot.index === null
      ? 'no frame here'
      : `frame ${slot.index + 1} of ${d?.summary.frames.length ?? 0}${frame && frame.number !== frame.index ? ` (number ${frame.number})` : ''}${
          alignMode === 'time' && slot.delta !== null ? ` · ${slot.delta === 0 ? 'at the cursor' : `${fmtNum(slot.delta)} s from the cursor`}` : ''
        }`;
  const modeLabel =
    p.mode === 'difference' && ref
      ? `A − B (B = ${ref.label})`
      : p.mode === 'abs-difference' && ref
        ? `|A − B| (B = ${ref.label})`
        : p.mode === 'blink' && ref
          ? `blink: ${blinkPhase ? ref.label : (d?.label ?? '')}`
          : '';
  return (
    <div className="compare-panel">
      <div className="panel-head">
        <b>{String.fromCharCode(65 + i)}</b>
        <select
          data-testid={`view-${i}-dataset`}
          value={p.datasetId ?? ''}
          onChange={(e) => {
            const nd = datasets.find((x) => x.id === e.target.value);
            if (!nd) return setPanel(i, { datasetId: null });
            const f = fieldOf(nd, p.field);
            setPanel(i, {
              datasetId: nd.id,
              field: f,
              colormap: defaultColormapFor(
                nd.summary.format,
                nd.summary.fields.find((x) => x.name === f),
              ),
            });
          }}
        >
          <option value="">(empty)</option>
          {datasets.map((x) => (
            <option key={x.id} value={x.id}>
              {x.label}
            </option>
          ))}
        </select>
        {d && (
          <select data-testid={`view-${i}-field`} value={field} onChange={(e) => setPanel(i, { field: e.target.value })}>
            {d.summary.fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        )}
        <select data-testid={`view-${i}-colormap`} value={p.colormap} onChange={(e) => setPanel(i, { colormap: e.target.value })} title="colormap">
          {COLORMAP_NAMES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select
          data-testid={`view-${i}-mode`}
          value={p.mode}
          onChange={(e) => setPanel(i, { mode: e.target.value as PanelMode, refId: p.refId ?? datasets.find((x) => x.id !== p.datasetId)?.id ?? null })}
        >
          <option value="normal">normal</option>
          <option value="difference">A − B</option>
          <option value="abs-difference">|A − B|</option>
          <option value="blink">blink A / B</option>
        </select>
        {needsRef && (
          <select
            data-testid={`view-${i}-ref`}
            value={p.refId ?? ''}
            onChange={(e) => setPanel(i, { refId: e.target.value || null })}
            title="B: the other dataset"
          >
            {datasets.map((x) => (
              <option key={x.id} value={x.id}>
                B = {x.label}
              </option>
            ))}
          </select>
        )}
        <label title="seconds added to this dataset's times (time alignment)">
          offset{' '}
          <input
            data-testid={`view-${i}-offset`}
            className="num"
            type="number"
            step="any"
            value={p.offset}
            onChange={(e) => setPanel(i, { offset: Number(e.target.value) || 0 })}
          />{' '}
          s
        </label>
      </div>
      <div className="panel-label">
        <span className="muted">index </span>
        <span data-testid={`view-${i}-frame`}>{slot.index === null ? '—' : slot.index}</span>
        <span className="muted"> · {shownLabel}</span>
        {modeLabel && <span className="mode-label"> · {modeLabel}</span>}
      </div>
      {d ? <FrameView panel={i} /> : <div className="plot-empty">Choose a dataset for this panel.</div>}
    </div>
  );
}

/** The compare timeline: one cursor over the union of the panels' positions. */
export function CompareTimeline() {
  const cursor = useCompare((c) => c.cursor);
  useCompare((c) => c.panels);
  useCompare((c) => c.align);
  useCompare((c) => c.gaps);
  useDatasets((s) => s.datasets);
  const { playing, set } = useView(useShallow((s) => ({ playing: s.playing, set: s.set })));
  const alignMode = useCompare((c) => c.align);
  const a = alignment();
  const n = a.keys.length;
  const pos = Math.min(cursor, Math.max(0, n - 1));
  const key = a.keys[pos];
  useTimelineKeys(COMPARE_KEYS);
  return (
    <div className="timeline">
      <div className="row">
        <button onClick={() => compareTimeline.step(-1)} title="previous position (←)">
          ◀
        </button>
        <button data-testid="play" onClick={() => set({ playing: !playing })}>
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button onClick={() => compareTimeline.step(1)} title="next position (→)">
          ▶
        </button>
        <input
          data-testid="timeline"
          className="slider"
          type="range"
          min={0}
          max={Math.max(0, n - 1)}
          value={pos}
          onChange={(e) => compareTimeline.seek(Number(e.target.value))}
          aria-label="position"
        />
        <FpsInput />
      </div>
      <div className="row readouts">
        <span>
          position <b data-testid="frame-position">{n ? pos + 1 : '—'}</b> of <b data-testid="frame-count">{n}</b>
        </span>
        <span>
          {alignMode === 'index' ? 'index' : alignMode === 'number' ? 'number' : 'time'}{' '}
          <b data-testid="cursor-key">{key === undefined ? '—' : alignMode === 'time' ? fmtTime(key, 's') : key}</b>
        </span>
      </div>
    </div>
  );
}
