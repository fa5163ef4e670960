/**
 * Size of one rawvideo frame as ffmpeg's rawvideo muxer writes it (planes tightly packed, no
 * padding), per pixel format. Pure arithmetic; no browser API.
 */

const packed: Record<string, number> = {
  gray: 1,
  gray8: 1,
  gray16le: 2,
  gray16be: 2,
  ya8: 2,
  ya16le: 4,
  rgb24: 3,
  bgr24: 3,
  rgba: 4,
  bgra: 4,
  argb: 4,
  abgr: 4,
  rgb0: 4,
  bgr0: 4,
  '0rgb': 4,
  '0bgr': 4,
  rgb32: 4,
  bgr32: 4,
  rgb48le: 6,
  rgb48be: 6,
  bgr48le: 6,
  rgba64le: 8,
  bgra64le: 8,
  grayf32le: 4,
  monow: 0,
};

/** planar formats without chroma subsampling: number of planes and bytes per sample */
const planarFull: Record<string, [number, number]> = {
  gbrp: [3, 1],
  gbrap: [4, 1],
  gbrp16le: [3, 2],
  gbrp16be: [3, 2],
  gbrap16le: [4, 2],
  gbrap16be: [4, 2],
  gbrp10le: [3, 2],
  gbrp12le: [3, 2],
  gbrp9le: [3, 2],
  gbrp14le: [3, 2],
  gbrap10le: [4, 2],
  gbrap12le: [4, 2],
  yuv444p: [3, 1],
  yuvj444p: [3, 1],
  yuva444p: [4, 1],
  yuv444p10le: [3, 2],
  yuv444p12le: [3, 2],
  yuv444p16le: [3, 2],
};

/** YUV with subsampled chroma: [log2 chroma w, log2 chroma h, bytes per sample, alpha plane] */
const planarSub: Record<string, [number, number, number, boolean]> = {
  yuv420p: [1, 1, 1, false],
  yuvj420p: [1, 1, 1, false],
  yuva420p: [1, 1, 1, true],
  yuv422p: [1, 0, 1, false],
  yuvj422p: [1, 0, 1, false],
  yuv440p: [0, 1, 1, false],
  yuv411p: [2, 0, 1, false],
  yuv410p: [2, 2, 1, false],
  yuv420p10le: [1, 1, 2, false],
  yuv422p10le: [1, 0, 2, false],
  yuv420p12le: [1, 1, 2, false],
  yuv422p12le: [1, 0, 2, false],
  yuv420p16le: [1, 1, 2, false],
  yuv422p16le: [1, 0, 2, false],
  nv12: [1, 1, 1, false],
  nv21: [1, 1, 1, false],
};

const ceilShift = (n: number, s: number) => -(-n >> s);

/** Bytes of one w×h frame in `pixFmt`, or null for a pixel format not in the tables. */
export function rawFrameBytes(pixFmt: string, width: number, height: number): number | null {
  const px = width * height;
  if (pixFmt === 'pal8') return px + 1024; // indices + the 256-entry palette
  if (pixFmt === 'monow' || pixFmt === 'monob') return Math.ceil(width / 8) * height;
  if (pixFmt in packed) return packed[pixFmt] * px;
  if (pixFmt in planarFull) {
    const [planes, b] = planarFull[pixFmt];
    return planes * b * px;
  }
  if (pixFmt in planarSub) {
    const [sx, sy, b, alpha] = planarSub[pixFmt];
    const c = ceilShift(width, sx) * ceilShift(height, sy);
    return b * (px * (alpha ? 2 : 1) + 2 * c);
  }
  return null;
}

/** Samples per pixel and bytes per sample of the formats py-pde uses (and the display formats). */
export function sampleLayout(pixFmt: string): { channels: number; bytes: 1 | 2; planar: boolean } | null {
  switch (pixFmt) {
    case 'gray':
      return { channels: 1, bytes: 1, planar: false };
    case 'rgb24':
    case 'bgr24':
      return { channels: 3, bytes: 1, planar: false };
    case 'rgb32':
    case 'bgra':
    case 'rgba':
    case 'argb':
    case 'abgr':
    case 'bgr0':
    case 'rgb0':
      return { channels: 4, bytes: 1, planar: false };
    case 'gray16le':
      return { channels: 1, bytes: 2, planar: false };
    case 'gbrp16le':
      return { channels: 3, bytes: 2, planar: true };
    case 'gbrap16le':
      return { channels: 4, bytes: 2, planar: true };
    default:
      return null;
  }
}
