/**
 * The colormapped frame drawn on a canvas beneath Plotly's (transparent) plot: the worker sends an
 * ImageBitmap, this draws it into the plot area at the current axis ranges in ~1 ms, so scrubbing
 * and playback never wait for a PNG to be encoded, shipped as a data URI and decoded.
 */
import { fillMask } from '../render/mask-style';
import type { ViewModel } from '../render/view-model';

interface PlotlyAxis {
  range: [number, number];
  _offset: number;
  _length: number;
}
export interface PlotlyGd extends HTMLDivElement {
  _fullLayout?: { xaxis?: PlotlyAxis; yaxis?: PlotlyAxis };
  data?: { source?: string; type?: string }[];
}

/** Data coordinates → canvas pixels of an axis. */
function toPx(ax: PlotlyAxis, v: number, flip: boolean): number {
  const [r0, r1] = ax.range;
  const f = (v - r0) / (r1 - r0);
  return ax._offset + (flip ? 1 - f : f) * ax._length;
}

export function drawBitmap(canvas: HTMLCanvasElement, gd: PlotlyGd, bitmap: ImageBitmap | null, m: ViewModel | null, maskStyle = 'hatch'): void {
  const rect = gd.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(rect.width * dpr);
  const h = Math.round(rect.height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${rect.width}px`;
    canvas.style.height = `${rect.height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const xa = gd._fullLayout?.xaxis;
  const ya = gd._fullLayout?.yaxis;
  if (!xa || !ya || !m || m.kind === 'line' || m.kind === 'missing') return;
  ctx.scale(dpr, dpr);
  ctx.save();
  ctx.beginPath();
  ctx.rect(xa._offset, ya._offset, xa._length, ya._length);
  ctx.clip();
  if (bitmap) {
    // bitmap row 0 is the smallest y: toPx puts it at the bottom of an upward axis and at the top
    // of a downward (image) one. Masked cells are transparent: the mask style shows through.
    const x0 = toPx(xa, m.x.start - m.x.step / 2, false);
    const x1 = toPx(xa, m.x.start + (m.width - 0.5) * m.x.step, false);
    const yBottom = toPx(ya, m.y.start - m.y.step / 2, true);
    const yTop = toPx(ya, m.y.start + (m.height - 0.5) * m.y.step, true);
    fillMask(ctx, maskStyle, Math.min(x0, x1), Math.min(yBottom, yTop), Math.abs(x1 - x0), Math.abs(yTop - yBottom));
    ctx.imageSmoothingEnabled = false;
    ctx.translate(x0, yBottom);
    ctx.scale((x1 - x0) / bitmap.width, (yTop - yBottom) / bitmap.height);
    ctx.drawImage(bitmap, 0, 0);
  }
  ctx.restore();
}

/** Plot-area pixel (relative to the plot div) → data coordinates, or null outside the plot area. */
export function pixelToData(gd: PlotlyGd, px: number, py: number): { x: number; y: number } | null {
  const xa = gd._fullLayout?.xaxis;
  const ya = gd._fullLayout?.yaxis;
  if (!xa || !ya) return null;
  const fx = (px - xa._offset) / xa._length;
  const fy = (py - ya._offset) / ya._length;
  if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return null;
  return { x: xa.range[0] + fx * (xa.range[1] - xa.range[0]), y: ya.range[1] - fy * (ya.range[1] - ya.range[0]) };
}
