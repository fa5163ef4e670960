/**
 * Save what the plot shows as one PNG: the colormapped bitmap (a canvas beneath Plotly) and Plotly's
 * axes, colour bar and arrows (its own PNG rendering with a transparent background) composited at the
 * page's scale. Replaces Plotly's modebar "download" button, which would miss the canvas.
 */
import { loadPlotly } from './plotly';

export async function plotPngBlob(gd: HTMLElement, canvas: HTMLCanvasElement): Promise<Blob> {
  const Plotly = await loadPlotly();
  const { width, height } = gd.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const url = await Plotly.toImage(gd as never, { format: 'png', width: Math.round(width), height: Math.round(height), scale: dpr });
  const overlay = new Image();
  overlay.src = url;
  await overlay.decode();
  const out = document.createElement('canvas');
  out.width = Math.round(width * dpr);
  out.height = Math.round(height * dpr);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0, out.width, out.height);
  ctx.drawImage(overlay, 0, 0, out.width, out.height);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
}

export async function savePlotPng(gd: HTMLElement, canvas: HTMLCanvasElement, name: string): Promise<void> {
  const blob = await plotPngBlob(gd, canvas);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${name.replace(/[^\w.-]+/g, '_')}.png`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
