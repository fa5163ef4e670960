import { useEffect, useRef, type RefObject } from 'react';
import { chooseTool, finishBox, finishDraft, probeShapes, setProbe, useProbes } from '../state/probes';
import { useView } from '../state/view';
import { pixelToData, type PlotlyGd } from './plot-bitmap';
import { loadPlotly } from './plotly';

/**
 * The probe on one plot: its Plotly shapes (in physical coordinates, redrawn when the probe or the
 * draft changes) and, while a drawing tool is chosen, a transparent layer over the plot that takes
 * the clicks: a line or polygon gets a vertex per click and ends with a double-click or Enter; a
 * rectangle or ellipse is dragged corner to corner; a point is one click. Esc cancels. Without a tool
 * the layer is absent, so zoom, pan and the hover readout work as before.
 */
export function ProbeOverlay({ gd }: { gd: RefObject<PlotlyGd | null> }) {
  const tool = useProbes((s) => s.tool);
  const probe = useView((s) => s.probe);
  const draft = useProbes((s) => s.draft);
  const drag = useRef<{ x: number; y: number } | null>(null);

  // the shapes follow the probe and the draft (drawAxes puts them back after a full redraw)
  useEffect(() => {
    const el = gd.current as (PlotlyGd & { data?: unknown }) | null;
    if (!el?.data) return;
    void loadPlotly().then((Plotly) => Plotly.relayout(el, { shapes: probeShapes() } as never));
  }, [probe, draft, tool, gd]);

  // Enter ends a line or polygon, Escape gives up
  useEffect(() => {
    if (tool === 'none') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter') finishDraft();
      else if (e.key === 'Escape') chooseTool('none');
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [tool]);

  if (tool === 'none') return null;
  const at = (e: React.MouseEvent) => {
    const el = gd.current;
    if (!el) return null;
    const box = el.getBoundingClientRect();
    return pixelToData(el, e.clientX - box.left, e.clientY - box.top);
  };
  const onDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    const p = at(e);
    if (!p) return;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const s = useProbes.getState();
    if (tool === 'rectangle' || tool === 'ellipse') {
      drag.current = p;
      s.set({ draft: [p, p] });
    } else if (tool === 'point') {
      setProbe({ kind: 'point', point: p });
      s.set({ tool: 'none', draft: [] });
    } else s.set({ draft: [...s.draft, p] });
  };
  const onMove = (e: React.PointerEvent) => {
    const p = at(e);
    if (!p || !drag.current) return;
    useProbes.getState().set({ draft: [drag.current, p] });
  };
  const onUp = (e: React.PointerEvent) => {
    const a = drag.current;
    drag.current = null;
    if (!a) return;
    const b = at(e) ?? useProbes.getState().draft[1];
    if (b) finishBox(a, b);
  };
  const hint =
    tool === 'line'
      ? 'click to add vertices; double-click or Enter ends the line'
      : tool === 'polygon'
        ? 'click to add corners; double-click or Enter closes the polygon'
        : tool === 'point'
          ? 'click a point'
          : `drag a ${tool} from corner to corner`;
  return (
    <div
      className="probe-layer"
      data-testid="probe-layer"
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onDoubleClick={(e) => {
        e.stopPropagation();
        finishDraft();
      }}
    >
      <span className="probe-hint">{hint} · Esc cancels</span>
    </div>
  );
}
