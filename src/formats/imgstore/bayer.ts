/**
 * Bayer demosaicing for imgstore `encoding` values (formats/imgstore.md §6.2), bilinear.
 *
 * OpenCV's two-letter Bayer names are NOT the sensor pattern: they name the 2×2 block starting at
 * pixel (1, 1). imgstore's `cv_bayerbg` is the standard RGGB pattern (top-left pixel red),
 * `cv_bayerrg` is BGGR, `cv_bayergb` is GRBG and `cv_bayergr` is GBRG. The four-letter aliases
 * (`cv_bayerrggb`, …) name the pattern directly.
 */

export type BayerPattern = 'RGGB' | 'BGGR' | 'GRBG' | 'GBRG';

const CODES: Record<string, BayerPattern> = {
  cv_bayerbg: 'RGGB',
  cv_bayerrg: 'BGGR',
  cv_bayergb: 'GRBG',
  cv_bayergr: 'GBRG',
  cv_bayerrggb: 'RGGB',
  cv_bayerbggr: 'BGGR',
  cv_bayergrbg: 'GRBG',
  cv_bayergbrg: 'GBRG',
};

/** The sensor pattern of an imgstore encoding name (with or without a `_vng`/`_ea`-style suffix), or null. */
export function bayerPatternOf(encoding: string): BayerPattern | null {
  const base = encoding.toLowerCase().replace(/_(vng|ea|edgeaware)$/, '');
  return CODES[base] ?? null;
}

/**
 * Bilinear demosaic of a single-channel mosaic (h×w, row-major) to interleaved RGB of the same
 * sample type. Each missing colour is the mean of that colour's nearest neighbours that exist
 * (edges use the neighbours inside the image).
 */
export function demosaicBilinear<T extends Uint8Array | Uint16Array>(src: T, width: number, height: number, pattern: BayerPattern): T {
  const out = (src instanceof Uint16Array ? new Uint16Array(width * height * 3) : new Uint8Array(width * height * 3)) as T;
  // colour of pixel (x, y): 0 R, 1 G, 2 B
  const p = pattern;
  const cAt = (x: number, y: number): number => {
    const ch = p[(y & 1) * 2 + (x & 1)];
    return ch === 'R' ? 0 : ch === 'G' ? 1 : 2;
  };
  const sums = new Float64Array(3);
  const counts = new Int32Array(3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const own = cAt(x, y);
      sums.fill(0);
      counts.fill(0);
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const c = cAt(xx, yy);
          if (c === own) continue;
          // green from the 4-neighbourhood only; red/blue from whatever neighbours carry them
          if (c === 1 && dx !== 0 && dy !== 0) continue;
          sums[c] += src[yy * width + xx];
          counts[c]++;
        }
      }
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = c === own ? src[y * width + x] : counts[c] ? Math.round(sums[c] / counts[c]) : src[y * width + x];
    }
  }
  return out;
}
