/**
 * Browser-only (OffscreenCanvas): the frame of a comparison movie — the panels' renders
 * (compose-frame.ts, each with its axes, colour bar and title) laid out in a grid (2 panels side by
 * side, 4 in 2 × 2), each under a band with its panel label, and the common time label above the
 * grid. The cell size is fixed by the first frame (`cell` of the result, passed back for the next
 * frames) so that every frame of a movie has the same size: a later panel render that is larger is
 * scaled down to fit, a smaller one centred; a panel without a frame at this time says so.
 */
import type { ComposedFrame } from './compose-frame';

export interface GridOptions {
  /** columns of the grid (2 for 2 and 4 panels) */
  columns: number;
  /** one label per panel, drawn above it */
  labels: string[];
  /** the common time label above the grid */
  timeLabel: string;
  /** the cell size of the first frame (omit for the first frame) */
  cell?: { w: number; h: number };
}

export interface ComposedGrid extends ComposedFrame {
  cell: { w: number; h: number };
  /** where each panel's render went (for tests) */
  boxes: { x: number; y: number; w: number; h: number }[];
}

const PAPER = '#ffffff';
const INK = '#111111';
const MUTED = '#667788';
const TIME_H = 36;
const LABEL_H = 24;
const GAP = 8;
const even = (n: number) => Math.max(2, 2 * Math.ceil(n / 2));

export function composeGrid(panels: (ComposedFrame | null)[], o: GridOptions): ComposedGrid {
  if (typeof OffscreenCanvas === 'undefined') throw new Error('compose-grid needs OffscreenCanvas (a browser page or worker)');
  const cols = Math.max(1, o.columns);
  const rows = Math.ceil(panels.length / cols);
  const cell = o.cell ?? {
    w: Math.max(200, ...panels.map((p) => p?.width ?? 0)),
    h: Math.max(150, ...panels.map((p) => p?.height ?? 0)),
  };
  const width = even(cols * cell.w + (cols + 1) * GAP);
  const height = even(TIME_H + rows * (LABEL_H + cell.h) + (rows + 1) * GAP);
  const cv = new OffscreenCanvas(width, height);
  const ctx = cv.getContext('2d') as OffscreenCanvasRenderingContext2D;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = INK;
  ctx.font = 'bold 16px sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(o.timeLabel, width / 2, TIME_H / 2 + 2, width - 20);
  const boxes: ComposedGrid['boxes'] = [];
  panels.forEach((p, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const x0 = GAP + c * (cell.w + GAP);
    const y0 = TIME_H + GAP + r * (LABEL_H + cell.h + GAP);
    ctx.fillStyle = INK;
    ctx.font = '14px sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(o.labels[i] ?? '', x0 + 4, y0 + LABEL_H / 2, cell.w - 8);
    const top = y0 + LABEL_H;
    if (!p) {
      ctx.strokeStyle = '#ccd';
      ctx.setLineDash([6, 4]);
      ctx.strokeRect(x0 + 0.5, top + 0.5, cell.w - 1, cell.h - 1);
      ctx.setLineDash([]);
      ctx.fillStyle = MUTED;
      ctx.textAlign = 'center';
      ctx.fillText('no frame at this time', x0 + cell.w / 2, top + cell.h / 2, cell.w - 8);
      boxes.push({ x: x0, y: top, w: 0, h: 0 });
      return;
    }
    const k = Math.min(1, cell.w / p.width, cell.h / p.height);
    const w = Math.round(p.width * k);
    const h = Math.round(p.height * k);
    const x = x0 + Math.floor((cell.w - w) / 2);
    const y = top + Math.floor((cell.h - h) / 2);
    const img = new ImageData(new Uint8ClampedArray(p.rgba), p.width, p.height);
    if (k === 1) ctx.putImageData(img, x, y);
    else {
      const tmp = new OffscreenCanvas(p.width, p.height);
      (tmp.getContext('2d') as OffscreenCanvasRenderingContext2D).putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(tmp, x, y, w, h);
    }
    boxes.push({ x, y, w, h });
  });
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data, limits: null, cell, boxes };
}
