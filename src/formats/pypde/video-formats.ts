/**
 * py-pde's six video formats (shared/formats/pypde-movie.md §3), in its table order: the one
 * pixel-format table of the reader (open.ts, via metadata.ts) and the writer (pack.ts).
 */
export interface PypdeVideoFormat {
  key: 'gray' | 'rgb24' | 'rgb32' | 'gray16le' | 'gbrp16le' | 'gbrap16le';
  /** pix_fmt of the raw frames (what the writer pipes and the reader asks for) */
  pixFmt: string;
  channels: number;
  bits: 8 | 16;
  /** largest count of a channel: 255 or 65535 */
  max: number;
}

export const PYPDE_FORMATS: readonly PypdeVideoFormat[] = [
  { key: 'gray', pixFmt: 'gray', channels: 1, bits: 8, max: 255 },
  { key: 'rgb24', pixFmt: 'rgb24', channels: 3, bits: 8, max: 255 },
  { key: 'rgb32', pixFmt: 'rgb32', channels: 4, bits: 8, max: 255 },
  { key: 'gray16le', pixFmt: 'gray16le', channels: 1, bits: 16, max: 65535 },
  { key: 'gbrp16le', pixFmt: 'gbrp16le', channels: 3, bits: 16, max: 65535 },
  { key: 'gbrap16le', pixFmt: 'gbrap16le', channels: 4, bits: 16, max: 65535 },
];

/** The same table keyed by format name. */
export const VIDEO_FORMATS: Readonly<Record<string, PypdeVideoFormat>> = Object.fromEntries(PYPDE_FORMATS.map((f) => [f.key, f]));

/** Largest count of a channel of `bits` bits (the quantisation's M). */
export const maxCount = (bits: 8 | 16): number => (bits === 8 ? 255 : 65535);
