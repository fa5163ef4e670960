/**
 * Colormaps as 256-entry RGB lookup tables, built by linear interpolation between published anchor
 * colours (the perceptually uniform maps' 10-step hex values, ColorBrewer's RdBu, MATLAB-style jet).
 */
const ANCHORS: Record<string, string[]> = {
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4'],
  magma: ['#000004', '#180f3d', '#440f76', '#721f81', '#9e2f7f', '#cd4071', '#f1605d', '#fd9668', '#feca8d', '#fcfdbf'],
  plasma: ['#0d0887', '#46039f', '#7201a8', '#9c179e', '#bd3786', '#d8576b', '#ed7953', '#fb9f3a', '#fdca26', '#f0f921'],
  gray: ['#000000', '#ffffff'],
  // low values red, high values blue (matplotlib's RdBu orientation)
  RdBu: ['#67001f', '#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac', '#053061'],
  jet: ['#00007f', '#0000ff', '#007fff', '#00ffff', '#7fff7f', '#ffff00', '#ff7f00', '#ff0000', '#7f0000'],
};

export const COLORMAP_NAMES = Object.keys(ANCHORS);
export type ColormapName = keyof typeof ANCHORS;

const cache = new Map<string, Uint8Array>();

function hex(c: string): [number, number, number] {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
}

/** 256×3 RGB lookup table of a colormap (unknown names fall back to viridis). A trailing `_r` reverses it. */
export function getColormap(name: string): Uint8Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const reversed = name.endsWith('_r');
  const base = reversed ? name.slice(0, -2) : name;
  const anchors = (ANCHORS[base] ?? ANCHORS.viridis).map(hex);
  const lut = new Uint8Array(256 * 3);
  const n = anchors.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (reversed ? 255 - i : i) / 255;
    const k = Math.min(n - 1, Math.floor(t * n));
    const f = t * n - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(anchors[k][c] * (1 - f) + anchors[k + 1][c] * f);
  }
  cache.set(name, lut);
  return lut;
}

/** The same map as a Plotly colorscale (for colour bars and quiver colouring). */
export function plotlyColorscale(name: string, steps = 16): [number, string][] {
  const lut = getColormap(name);
  const out: [number, string][] = [];
  for (let s = 0; s <= steps; s++) {
    const i = Math.round((s / steps) * 255);
    out.push([s / steps, `rgb(${lut[i * 3]},${lut[i * 3 + 1]},${lut[i * 3 + 2]})`]);
  }
  return out;
}

/** The default colormap of scalar fields. */
export const DEFAULT_COLORMAP = 'viridis';
/** Camera images (grayscale intensity) are shown in gray, as every camera viewer does. */
export const CAMERA_COLORMAP = 'gray';

/**
 * Default colormap for a field of a dataset: grayscale camera images (imgstore, plain video, DaVis
 * image buffers) in gray, everything else in the default map.
 */
export function defaultColormapFor(format: string, field: { name: string; kind: string } | undefined): string {
  if (field?.kind !== 'scalar') return DEFAULT_COLORMAP;
  if (format === 'imgstore' || format === 'video') return CAMERA_COLORMAP;
  // DaVis: image buffers are `frame{k}` scalars; vector components are `frame{k}/U0` …
  if (format === 'davis' && /^frame\d+$/.test(field.name)) return CAMERA_COLORMAP;
  return DEFAULT_COLORMAP;
}
