/**
 * How masked cells look: a hatch that no colormap contains (the default), or a solid colour. Masked
 * cells are transparent in the colormapped bitmap; this fills the plot area beneath it. Shared by the
 * viewer's canvas and the rendered exports (any 2D canvas context).
 */
export type MaskStyle = 'hatch' | 'black' | 'white' | 'magenta' | 'transparent';

export const MASK_STYLES: { value: MaskStyle; label: string }[] = [
  { value: 'hatch', label: 'hatched (grey/white)' },
  { value: 'magenta', label: 'magenta' },
  { value: 'black', label: 'black' },
  { value: 'white', label: 'white' },
  { value: 'transparent', label: 'none (page colour)' },
];

const SOLID: Record<string, string> = { black: '#000000', white: '#ffffff', magenta: '#ff00ff' };

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Fill the rectangle with the mask style (call before drawing the bitmap over it). */
export function fillMask(ctx: Ctx, style: string, x: number, y: number, w: number, h: number): void {
  if (style === 'transparent') return;
  ctx.save();
  if (SOLID[style]) {
    ctx.fillStyle = SOLID[style];
    ctx.fillRect(x, y, w, h);
  } else {
    // diagonal hatch, 8 px period: mid grey on white, which no colormap here produces as a pattern
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x, y, w, h);
    ctx.beginPath();
    ctx.rect(x, y, w, h);
    ctx.clip();
    ctx.strokeStyle = '#8a8a8a';
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let k = -h; k < w + h; k += 8) {
      ctx.moveTo(x + k, y + h);
      ctx.lineTo(x + k + h, y);
    }
    ctx.stroke();
  }
  ctx.restore();
}
