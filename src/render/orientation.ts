import type { Scale } from '../core/types';

/** Units that mean "image pixels", not a physical length. */
const PIXEL_UNITS = new Set(['px', 'pixel', 'pixels', 'pix', 'pxl']);

/**
 * DESIGN.md "Orientation on screen": sources without a physical y scale (imgstore, plain video, image
 * stores, DaVis images whose y slope is positive in pixel units — unit 'px'/'pixel') are images: row 0 at the top, the y
 * axis pointing down (Fiji, napari, every video player). A physical y scale is drawn by its sign
 * rules: the axis runs upward. Shared by the viewer and the rendered exports, so both agree.
 */
export function yAxisPointsDown(y: Scale | undefined, hasCoords = false): boolean {
  if (hasCoords) return false;
  if (!y || !Number.isFinite(y.slope) || y.slope === 0) return true;
  return y.slope > 0 && PIXEL_UNITS.has(y.unit.trim().toLowerCase());
}
