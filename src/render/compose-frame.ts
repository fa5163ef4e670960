/**
 * Browser-only (OffscreenCanvas, page or worker): one frame drawn the way the viewer shows it, as an
 * RGBA bitmap for the rendered exports (movies, rendered PNGs).
 *
 * Layout: a title band ("<value> — frame N, t = …"), the colormapped field with physical aspect
 * ratio (smallest y at the bottom, like the viewer's plot; masked cells blank in light grey), quiver
 * arrows for vector fields as the viewer draws them (centred on the sample point, the longest
 * 0.9 × stride cells × arrowScale; black, white, or coloured by |v| through jet),
 * and a colour bar with its limits and unit on the right. 1D fields are drawn as a line plot, RGB
 * images as they are. Width and height are even (yuv420p encoders need that).
 */
import type { Frame } from '../core/types';
import { getColormap } from './colormaps';
import { buildViewModel, type ViewModel } from './view-model';

export interface ComposeOptions {
  field: string;
  /** vector background: 'magnitude' | 'u' | 'v' | 'w' */
  component?: string;
  colormap?: string;
  /** colour limits (fixed over a movie); omitted = this frame's min/max */
  limits?: [number, number];
  quiver?: boolean;
  /** quiver stride in cells, 0 = automatic (as the viewer) */
  stride?: number;
  /** arrow length factor (the viewer's arrow scale, default 1) */
  arrowScale?: number;
  /** 'black' (default), 'white' or 'magnitude' (coloured by |v| through jet) */
  arrowColor?: string;
  plane?: number;
  /** width of the image area in px (0/undefined = automatic) */
  width?: number;
  label?: boolean;
  colorbar?: boolean;
  /** unit of FrameInfo.time for the label */
  timeUnit?: string | null;
}

export interface ComposedFrame {
  width: number;
  height: number;
  /** RGBA, rows top to bottom, opaque */
  rgba: Uint8ClampedArray;
}

export interface ComposeLayout {
  width: number;
  height: number;
  image: { x: number; y: number; w: number; h: number };
  bar: { x: number; y: number; w: number; h: number } | null;
  titleH: number;
}

const PAPER = '#ffffff';
const BLANK = '#eeeeee';
const INK = '#111111';
const FONT = '13px sans-serif';
const TITLE_FONT = '14px sans-serif';

const even = (n: number) => Math.max(2, 2 * Math.ceil(n / 2));

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(3);
  return String(+x.toPrecision(4));
}

/** Where things go for a field of nx × ny cells with the given physical aspect (dy/dx). */
export function composeLayout(nx: number, ny: number, aspect: number, opts: { width?: number; label?: boolean; colorbar?: boolean }): ComposeLayout {
  let w: number;
  if (opts.width && opts.width > 0) w = Math.round(opts.width);
  else if (nx >= 640) w = Math.min(nx, 1280);
  else w = nx * Math.max(1, Math.floor(640 / nx));
  let h = Math.max(1, Math.round((w / nx) * ny * (Number.isFinite(aspect) && aspect > 0 ? aspect : 1)));
  if (h > 2048) {
    w = Math.max(1, Math.round((w * 2048) / h));
    h = 2048;
  }
  const titleH = opts.label === false ? 0 : 28;
  const margin = 10;
  const barW = opts.colorbar === false ? 0 : 110;
  const width = even(margin + w + barW + margin);
  const height = even(titleH + margin + h + margin);
  const image = { x: margin, y: titleH + margin, w, h };
  const bar = barW ? { x: margin + w + 14, y: titleH + margin, w: 16, h } : null;
  return { width, height, image, bar, titleH };
}

type Ctx = OffscreenCanvasRenderingContext2D;

function newCanvas(w: number, h: number): OffscreenCanvas {
  if (typeof OffscreenCanvas === 'undefined') throw new Error('compose-frame needs OffscreenCanvas (a browser page or worker)');
  return new OffscreenCanvas(w, h);
}

function title(m: ViewModel, timeUnit: string | null | undefined): string {
  const t = m.info.time !== null ? `, t = ${fmt(m.info.time)}${timeUnit ? ` ${timeUnit}` : ''}` : '';
  return `${m.valueLabel} — frame ${m.info.number}${t}`;
}

/** Draw one frame. */
export function composeFrame(frame: Frame, opts: ComposeOptions): ComposedFrame {
  const m = buildViewModel(frame, {
    field: opts.field,
    plane: opts.plane ?? 0,
    component: opts.component ?? 'magnitude',
    colormap: opts.colormap ?? 'viridis',
    limitsMode: opts.limits ? 'manual' : 'minmax',
    manual: opts.limits,
    stride: opts.stride ?? 0,
    quiver: opts.quiver !== false,
  });
  if (m.kind === 'missing') throw new Error(m.message ?? `field ${opts.field} missing`);
  if (m.kind === 'line') return composeLine(m, opts);
  const aspect = m.x.indexOnly || m.y.indexOnly ? 1 : m.y.step / m.x.step;
  const L = composeLayout(m.width, m.height, aspect, { width: opts.width, label: opts.label, colorbar: opts.colorbar !== false && m.kind === 'image' });
  const cv = newCanvas(L.width, L.height);
  const ctx = cv.getContext('2d') as Ctx;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, L.width, L.height);
  ctx.fillStyle = BLANK;
  ctx.fillRect(L.image.x, L.image.y, L.image.w, L.image.h);
  // the model's rows go up in y; the canvas goes down: flip rows
  const src = m.rgba!;
  const flipped = new Uint8ClampedArray(src.length);
  const row = m.width * 4;
  for (let r = 0; r < m.height; r++) flipped.set(src.subarray(r * row, (r + 1) * row), (m.height - 1 - r) * row);
  const small = newCanvas(m.width, m.height);
  (small.getContext('2d') as Ctx).putImageData(new ImageData(flipped, m.width, m.height), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.globalAlpha = m.quiver ? 0.85 : 1;
  ctx.drawImage(small, L.image.x, L.image.y, L.image.w, L.image.h);
  ctx.globalAlpha = 1;
  if (m.quiver?.x.length) drawQuiver(ctx, m, L, opts.arrowScale ?? 1, opts.arrowColor ?? 'black');
  if (L.titleH) {
    ctx.fillStyle = INK;
    ctx.font = TITLE_FONT;
    ctx.textBaseline = 'middle';
    ctx.fillText(title(m, opts.timeUnit), L.image.x, L.titleH / 2 + 4, L.width - 2 * L.image.x);
  }
  if (L.bar && m.limits) drawColorbar(ctx, L.bar, m.limits, opts.colormap ?? 'viridis', m.valueUnit);
  const rgba = ctx.getImageData(0, 0, L.width, L.height).data;
  return { width: L.width, height: L.height, rgba };
}

function drawQuiver(ctx: Ctx, m: ViewModel, L: ComposeLayout, scale: number, color: string): void {
  const q = m.quiver!;
  const x0 = m.x.start - m.x.step / 2;
  const y0 = m.y.start - m.y.step / 2;
  const spanX = m.width * m.x.step;
  const spanY = m.height * m.y.step;
  const X = (x: number) => L.image.x + ((x - x0) / spanX) * L.image.w;
  const Y = (y: number) => L.image.y + L.image.h - ((y - y0) / spanY) * L.image.h;
  // the sample's coordinates are physical; the longest arrow spans 0.9 of the sampling cell
  const cell = Math.max(m.x.step, m.y.step) * q.stride;
  const k = (scale * 0.9 * cell) / (q.maxMag || 1);
  const jet = color === 'magnitude' ? getColormap('jet') : null;
  const ink = color === 'white' ? '#ffffff' : INK;
  ctx.lineWidth = 1.6;
  for (let i = 0; i < q.x.length; i++) {
    const hx = (q.u[i] * k) / 2;
    const hy = (q.v[i] * k) / 2;
    const ax = X(q.x[i] - hx);
    const ay = Y(q.y[i] - hy);
    const bx = X(q.x[i] + hx);
    const by = Y(q.y[i] + hy);
    const len = Math.hypot(bx - ax, by - ay);
    if (len < 0.5) continue;
    if (jet) {
      const c = Math.max(0, Math.min(255, Math.round((q.mag[i] / (q.maxMag || 1)) * 255))) * 3;
      ctx.strokeStyle = ctx.fillStyle = `rgb(${jet[c]},${jet[c + 1]},${jet[c + 2]})`;
    } else ctx.strokeStyle = ctx.fillStyle = ink;
    ctx.beginPath();
    ctx.moveTo(ax, ay);
    ctx.lineTo(bx, by);
    ctx.stroke();
    const head = Math.min(6, len * 0.35);
    const ang = Math.atan2(by - ay, bx - ax);
    ctx.beginPath();
    ctx.moveTo(bx, by);
    ctx.lineTo(bx - head * Math.cos(ang - 0.45), by - head * Math.sin(ang - 0.45));
    ctx.lineTo(bx - head * Math.cos(ang + 0.45), by - head * Math.sin(ang + 0.45));
    ctx.closePath();
    ctx.fill();
  }
}

function drawColorbar(ctx: Ctx, bar: NonNullable<ComposeLayout['bar']>, limits: [number, number], colormap: string, unit: string): void {
  const lut = getColormap(colormap);
  const img = new Uint8ClampedArray(bar.w * bar.h * 4);
  for (let j = 0; j < bar.h; j++) {
    const t = bar.h > 1 ? 1 - j / (bar.h - 1) : 1;
    const c = Math.round(t * 255) * 3;
    for (let i = 0; i < bar.w; i++) {
      const o = (j * bar.w + i) * 4;
      img[o] = lut[c];
      img[o + 1] = lut[c + 1];
      img[o + 2] = lut[c + 2];
      img[o + 3] = 255;
    }
  }
  ctx.putImageData(new ImageData(img, bar.w, bar.h), bar.x, bar.y);
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1;
  ctx.strokeRect(bar.x - 0.5, bar.y - 0.5, bar.w + 1, bar.h + 1);
  ctx.fillStyle = INK;
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  const tx = bar.x + bar.w + 5;
  const ticks = bar.h >= 60 ? [0, 0.5, 1] : [0, 1];
  for (const t of ticks) {
    const y = bar.y + (1 - t) * (bar.h - 1);
    ctx.fillRect(bar.x + bar.w, Math.round(y), 3, 1);
    ctx.fillText(fmt(limits[0] + t * (limits[1] - limits[0])), tx, Math.min(bar.y + bar.h - 6, Math.max(bar.y + 6, y)), 80);
  }
  if (unit && bar.h >= 100) ctx.fillText(`[${unit}]`, tx, bar.y + bar.h / 4, 80);
}

function composeLine(m: ViewModel, opts: ComposeOptions): ComposedFrame {
  const width = even(opts.width && opts.width > 0 ? opts.width + 90 : 730);
  const height = even(Math.round(width * 0.55));
  const cv = newCanvas(width, height);
  const ctx = cv.getContext('2d') as Ctx;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, width, height);
  const titleH = opts.label === false ? 0 : 28;
  const box = { x: 70, y: titleH + 10, w: width - 90, h: height - titleH - 40 };
  ctx.strokeStyle = INK;
  ctx.strokeRect(box.x - 0.5, box.y - 0.5, box.w + 1, box.h + 1);
  const xs = m.line!.x;
  const ys = m.line!.y;
  const [lo, hi] = opts.limits ?? [m.stats?.min ?? 0, m.stats?.max ?? 1];
  const span = hi - lo || 1;
  const xa = xs[0];
  const xb = xs[xs.length - 1];
  const xspan = xb - xa || 1;
  ctx.strokeStyle = '#1f4e9a';
  ctx.lineWidth = 2;
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i];
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    const px = box.x + ((xs[i] - xa) / xspan) * box.w;
    const py = box.y + box.h - ((Math.min(hi, Math.max(lo, v)) - lo) / span) * box.h;
    if (pen) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    pen = true;
  }
  ctx.stroke();
  ctx.fillStyle = INK;
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.fillText(fmt(hi), 4, box.y + 6, 62);
  ctx.fillText(fmt(lo), 4, box.y + box.h - 6, 62);
  ctx.fillText(fmt(xa), box.x, box.y + box.h + 14, 80);
  ctx.textAlign = 'right';
  ctx.fillText(`${fmt(xb)} ${m.x.unit}`, box.x + box.w, box.y + box.h + 14, 120);
  ctx.textAlign = 'left';
  if (titleH) {
    ctx.font = TITLE_FONT;
    ctx.fillText(title(m, opts.timeUnit), box.x, titleH / 2 + 4, width - box.x - 10);
  }
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
}
