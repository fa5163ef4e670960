import type { FrameSource, SourceTree } from './types';
import { sniff as sniffPhiflow } from './phiflow/sniff';
import { sniff as sniffDavis } from './davis/sniff';
import { sniff as sniffPypde } from './pypde/sniff';
import { sniff as sniffImgstore } from './imgstore/sniff';
import { sniff as sniffVideo } from './video/sniff';
import { sniff as sniffZarr } from './zarr/sniff';
import { sniff as sniffPivtext } from './pivtext/sniff';

/**
 * The format registry. Each entry sniffs a tree by content and folder shape (cheap: a few bytes,
 * file names) and returns a confidence in [0, 1]; the reader itself is imported lazily, so opening
 * a PhiFlow scene never loads the DaVis or video code.
 */
export interface FormatEntry {
  id: string;
  label: string;
  /** true when the reader needs ffmpeg.wasm (the UI starts loading the core as soon as it sees one). */
  video: boolean;
  sniff(tree: SourceTree): Promise<number>;
  load(): Promise<{ open(tree: SourceTree): Promise<FrameSource> }>;
}

export const formats: FormatEntry[] = [
  { id: 'phiflow', label: 'PhiFlow scene', video: false, sniff: sniffPhiflow, load: () => import('./phiflow/open') },
  { id: 'davis', label: 'DaVis (LaVision)', video: false, sniff: sniffDavis, load: () => import('./davis/open') },
  { id: 'imgstore', label: 'imgstore recording', video: false, sniff: sniffImgstore, load: () => import('./imgstore/open') },
  { id: 'pypde', label: 'py-pde MovieStorage', video: true, sniff: sniffPypde, load: () => import('./pypde/open') },
  { id: 'video', label: 'video', video: true, sniff: sniffVideo, load: () => import('./video/open') },
  { id: 'zarr', label: 'Zarr v2 store', video: false, sniff: sniffZarr, load: () => import('./zarr/open') },
  { id: 'pivtext', label: 'PIV text (DaVis txt, TSI vec, OpenPIV, PIVlab, Tecplot)', video: false, sniff: sniffPivtext, load: () => import('./pivtext/open') },
];

/** Best matching format for a tree, or null. */
export async function detectFormat(tree: SourceTree): Promise<FormatEntry | null> {
  let best: FormatEntry | null = null;
  let bestScore = 0;
  for (const f of formats) {
    let s = 0;
    try {
      s = await f.sniff(tree);
    } catch {
      s = 0;
    }
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}
