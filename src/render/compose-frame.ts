/**
 * Browser-only (OffscreenCanvas, page or worker): one frame drawn the way the viewer shows it, as an
 * RGBA bitmap for the rendered exports (movies, rendered PNGs) and the export dialog's preview.
 *
 * What the screen carries: a title band ("<value> — frame N, t = …"), the colormapped field with its
 * physical aspect ratio, x and y axes with ticks in physical units and titled "label [unit]" (as the
 * viewer's axes), masked cells in the mask colour, quiver arrows for vector fields by the viewer's
 * length rule (src/render/arrows.ts: centred on the sample point; black, white, or coloured by |v|
 * through jet), and a colour bar with ticks, titled with the field and its unit. Orientation follows
 * src/render/orientation.ts: images without a physical y scale have row 0 at the top and the y axis
 * pointing down; physical y scales run upward. 1D fields are drawn as a line plot, RGB images as
 * they are. Width and height are even (yuv420p encoders need that).
 */
import type { Frame } from '../core/types';
import { arrowLengthFactor } from './arrows';
import type { LimitsMode } from './colorize';
import { getColormap } from './colormaps';
import { yAxisPointsDown } from './orientation';
import { buildViewModel, type ViewModel } from './view-model';

export interface ComposeOptions {
  field: string;
  /** vector background: 'magnitude' | 'u' | 'v' | 'w' (default magnitude) */
  component?: string;
  colormap?: string;
  /** per-frame limits mode when `limits` is not given (default minmax), as the viewer computes it */
  limitsMode?: LimitsMode;
  /** fixed colour limits (a movie's global or manual limits); omitted = per frame by `limitsMode` */
  limits?: [number, number];
  quiver?: boolean;
  /** quiver stride in cells, 0 = automatic (as the viewer) */
  stride?: number;
  /** arrow length factor (the viewer's arrow scale, default 1) */
  arrowScale?: number;
  /** 'black' (default), 'white' or 'magnitude' (coloured by |v| through jet) */
  arrowColor?: string;
  /** colour of masked cells: 'auto' (default: far from every colour of the colormap) or a hex colour #rgb / #rrggbb */
  maskColor?: string;
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
  /** the colour limits drawn (null for RGB images) */
  limits: [number, number] | null;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ComposeLayout {
  width: number;
  height: number;
  image: Box;
  bar: Box | null;
  titleH: number;
}

const PAPER = '#ffffff';
const INK = '#111111';
const FONT = '12px sans-serif';
const TITLE_FONT = '14px sans-serif';
const LEFT = 66;
const BOTTOM = 46;
const TOP = 8;
const RIGHT = 12;
const BAR_BLOCK = 14 + 16 + 6 + 62 + 18;

const even = (n: number) => Math.max(2, 2 * Math.ceil(n / 2));

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(3);
  return String(+x.toPrecision(4));
}

/** Round tick positions (1, 2, 5 × 10^k) inside [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi <= lo) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  const step = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9 && out.length < 50; k++) out.push(+(k * step).toPrecision(12));
  return out;
}

/** Tick label: as many decimals as the tick step needs. */
function tickLabel(x: number, step: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
  const dec = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return x.toFixed(dec);
}

const unitSuffix = (u: string) => (!u ? '' : /^\[.*\]$/.test(u.trim()) ? ` ${u.trim()}` : ` [${u}]`);

function parseCss(c: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c.trim());
  if (!m) return null;
  const h = m[1].length === 3 ? m[1].replace(/./g, (d) => d + d) : m[1];
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

const MASK_CANDIDATES = ['#ff00ff', '#00ff00', '#00ffff', '#ffffff', '#000000', '#ff0000', '#ff8800', '#0000ff'];

/** A mask colour no colour of the colormap is close to: the candidate farthest from every LUT entry. */
export function autoMaskColor(colormap: string): string {
  const lut = getColormap(colormap);
  let best = MASK_CANDIDATES[0];
  let bestD = -1;
  for (const c of MASK_CANDIDATES) {
    const [r, g, b] = parseCss(c)!;
    let d = Infinity;
    for (let i = 0; i < 256; i++) d = Math.min(d, (lut[3 * i] - r) ** 2 + (lut[3 * i + 1] - g) ** 2 + (lut[3 * i + 2] - b) ** 2);
    if (d > bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
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
  const barW = opts.colorbar === false ? 0 : BAR_BLOCK;
  const width = even(LEFT + w + barW + RIGHT);
  const height = even(titleH + TOP + h + BOTTOM);
  const image = { x: LEFT, y: titleH + TOP, w, h };
  const bar = barW ? { x: LEFT + w + 14, y: titleH + TOP, w: 16, h } : null;
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

/** Bottom axis: ticks and labels for the data range [lo, hi] mapped onto box.x … box.x + box.w. */
function axisX(ctx: Ctx, box: Box, lo: number, hi: number, label: string): void {
  const ticks = niceTicks(lo, hi, Math.max(2, Math.round(box.w / 90)));
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(hi - lo) || 1;
  ctx.fillStyle = INK;
  ctx.font = FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const yb = box.y + box.h;
  for (const t of ticks) {
    const px = Math.round(box.x + ((t - lo) / (hi - lo)) * box.w) + 0.5;
    ctx.fillRect(px - 0.5, yb, 1, 5);
    ctx.fillText(tickLabel(t, step), px, yb + 7, 90);
  }
  ctx.fillText(label, box.x + box.w / 2, yb + 26, box.w + LEFT);
  ctx.textAlign = 'left';
}

/** Left axis; `down` = values grow downward (images), else upward. */
function axisY(ctx: Ctx, box: Box, lo: number, hi: number, label: string, down: boolean): void {
  const ticks = niceTicks(lo, hi, Math.max(2, Math.round(box.h / 60)));
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(hi - lo) || 1;
  ctx.fillStyle = INK;
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks) {
    const f = (t - lo) / (hi - lo);
    const py = Math.round(down ? box.y + f * box.h : box.y + box.h - f * box.h) + 0.5;
    ctx.fillRect(box.x - 5, py - 0.5, 5, 1);
    ctx.fillText(tickLabel(t, step), box.x - 7, py, LEFT - 24);
  }
  ctx.save();
  ctx.translate(12, box.y + box.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(label, 0, 0, box.h);
  ctx.restore();
  ctx.textAlign = 'left';
}

/** Draw one frame. */
export function composeFrame(frame: Frame, opts: ComposeOptions): ComposedFrame {
  const colormap = opts.colormap ?? 'viridis';
  const m = buildViewModel(frame, {
    field: opts.field,
    plane: opts.plane ?? 0,
    component: opts.component ?? 'magnitude',
    colormap,
    limitsMode: opts.limits ? 'manual' : opts.limitsMode && opts.limitsMode !== 'manual' ? opts.limitsMode : 'minmax',
    manual: opts.limits,
    stride: opts.stride ?? 0,
    quiver: opts.quiver !== false,
  });
  if (m.kind === 'missing') throw new Error(m.message ?? `field ${opts.field} missing`);
  if (m.kind === 'line') return composeLine(m, opts);
  const fd = frame.fields[opts.field];
  const down = yAxisPointsDown(fd.scales?.y, !!fd.coords?.y);
  const aspect = m.x.indexOnly || m.y.indexOnly ? 1 : m.y.step / m.x.step;
  const L = composeLayout(m.width, m.height, aspect, { width: opts.width, label: opts.label, colorbar: opts.colorbar !== false && m.kind === 'image' });
  const cv = newCanvas(L.width, L.height);
  const ctx = cv.getContext('2d') as Ctx;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, L.width, L.height);
  // the model's rows go up in y (row 0 = smallest y): an image (y down) is drawn as is, a physical
  // y axis (running upward) with its rows flipped; masked (transparent) cells get the mask colour
  const src = m.rgba!;
  const rows = new Uint8ClampedArray(src.length);
  const row = m.width * 4;
  if (down) rows.set(src);
  else for (let r = 0; r < m.height; r++) rows.set(src.subarray(r * row, (r + 1) * row), (m.height - 1 - r) * row);
  const mc = parseCss(opts.maskColor && opts.maskColor !== 'auto' ? opts.maskColor : autoMaskColor(colormap)) ?? parseCss(autoMaskColor(colormap))!;
  for (let i = 3; i < rows.length; i += 4) {
    if (rows[i] !== 0) continue;
    rows[i - 3] = mc[0];
    rows[i - 2] = mc[1];
    rows[i - 1] = mc[2];
    rows[i] = 255;
  }
  const small = newCanvas(m.width, m.height);
  (small.getContext('2d') as Ctx).putImageData(new ImageData(rows, m.width, m.height), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.globalAlpha = m.quiver ? 0.85 : 1;
  ctx.drawImage(small, L.image.x, L.image.y, L.image.w, L.image.h);
  ctx.globalAlpha = 1;
  const x0 = m.x.start - m.x.step / 2;
  const y0 = m.y.start - m.y.step / 2;
  const x1 = x0 + m.width * m.x.step;
  const y1 = y0 + m.height * m.y.step;
  if (m.quiver?.x.length) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(L.image.x, L.image.y, L.image.w, L.image.h);
    ctx.clip();
    drawQuiver(ctx, m, L.image, down, opts.arrowScale ?? 1, opts.arrowColor ?? 'black');
    ctx.restore();
  }
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1;
  ctx.strokeRect(L.image.x - 0.5, L.image.y - 0.5, L.image.w + 1, L.image.h + 1);
  axisX(ctx, L.image, x0, x1, m.x.label + unitSuffix(m.x.unit));
  axisY(ctx, L.image, y0, y1, m.y.label + unitSuffix(m.y.unit), down);
  if (L.titleH) {
    ctx.fillStyle = INK;
    ctx.font = TITLE_FONT;
    ctx.textBaseline = 'middle';
    ctx.fillText(title(m, opts.timeUnit), L.image.x, L.titleH / 2 + 4, L.width - L.image.x - 10);
  }
  if (L.bar && m.limits) drawColorbar(ctx, L.bar, m.limits, colormap, m.valueLabel + unitSuffix(m.valueUnit));
  const rgba = ctx.getImageData(0, 0, L.width, L.height).data;
  return { width: L.width, height: L.height, rgba, limits: m.limits ?? null };
}

function drawQuiver(ctx: Ctx, m: ViewModel, box: Box, down: boolean, scale: number, color: string): void {
  const q = m.quiver!;
  const x0 = m.x.start - m.x.step / 2;
  const y0 = m.y.start - m.y.step / 2;
  const spanX = m.width * m.x.step;
  const spanY = m.height * m.y.step;
  const X = (x: number) => box.x + ((x - x0) / spanX) * box.w;
  const Y = (y: number) => (down ? box.y + ((y - y0) / spanY) * box.h : box.y + box.h - ((y - y0) / spanY) * box.h);
  const k = arrowLengthFactor(q, m.x.step, m.y.step, scale);
  const jet = color === 'magnitude' ? getColormap('jet') : null;
  const ink = color === 'white' ? '#ffffff' : '#000000';
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

function drawColorbar(ctx: Ctx, bar: Box, limits: [number, number], colormap: string, label: string): void {
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
  ctx.textAlign = 'left';
  const [lo, hi] = limits;
  const tx = bar.x + bar.w + 6;
  const ticks = niceTicks(lo, hi, Math.max(2, Math.round(bar.h / 50)));
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(hi - lo) || 1;
  let widest = 0;
  for (const t of ticks) {
    const y = Math.round(bar.y + (1 - (t - lo) / (hi - lo || 1)) * (bar.h - 1)) + 0.5;
    ctx.fillRect(bar.x + bar.w, y - 0.5, 4, 1);
    const text = tickLabel(t, step);
    ctx.fillText(text, tx, y, 62);
    widest = Math.max(widest, Math.min(62, ctx.measureText(text).width));
  }
  ctx.save();
  ctx.translate(tx + widest + 12, bar.y + bar.h / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(label, 0, 0, bar.h);
  ctx.restore();
}

function composeLine(m: ViewModel, opts: ComposeOptions): ComposedFrame {
  const width = even(opts.width && opts.width > 0 ? opts.width + LEFT + RIGHT : 730);
  const height = even(Math.round(width * 0.55));
  const cv = newCanvas(width, height);
  const ctx = cv.getContext('2d') as Ctx;
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, width, height);
  const titleH = opts.label === false ? 0 : 28;
  const box = { x: LEFT, y: titleH + TOP, w: width - LEFT - RIGHT, h: height - titleH - TOP - BOTTOM };
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x - 0.5, box.y - 0.5, box.w + 1, box.h + 1);
  const xs = m.line!.x;
  const ys = m.line!.y;
  const [lo, hi0] = opts.limits ?? [m.stats?.min ?? 0, m.stats?.max ?? 1];
  const hi = hi0 > lo ? hi0 : lo + 1;
  const span = hi - lo;
  const xa = xs[0];
  const xb = xs[xs.length - 1] > xa ? xs[xs.length - 1] : xa + 1;
  const xspan = xb - xa;
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
  axisX(ctx, box, xa, xb, m.x.label + unitSuffix(m.x.unit));
  axisY(ctx, box, lo, hi, m.valueLabel + unitSuffix(m.valueUnit), false);
  if (titleH) {
    ctx.fillStyle = INK;
    ctx.font = TITLE_FONT;
    ctx.textBaseline = 'middle';
    ctx.fillText(title(m, opts.timeUnit), box.x, titleH / 2 + 4, width - box.x - 10);
  }
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data, limits: [lo, hi] };
}
