/**
 * `png-zip` in `rendered` mode (browser, OffscreenCanvas): 8-bit RGB PNGs of what the viewer shows
 * (compose-frame), `<k:06d>.png` for the k-th exported frame, plus `frames.json` (index, number,
 * time of each k, the field, the colour limits and colormap).
 */
import { zipSync, type Zippable } from 'fflate';
import type { FrameSource } from '../core/types';
import { composeFrame } from '../render/compose-frame';
import { baseName, eachFrame, pad6, type ExportControl, type ExportedFile } from './job';
import { encodePng } from '../codecs/png-encode';
import type { PngZipOptions } from './targets/png-zip';
import { planRender } from './render-plan';
import type { ResolvedJob } from './target';

export async function exportRenderedPngs(source: FrameSource, job: ResolvedJob<PngZipOptions>, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = job.options;
  const frames = job.frames;
  const plan = await planRender(source, job, opts, ctl);
  const zip: Zippable = {};
  const table: { k: number; index: number; number: number; time: number | null; limits: [number, number] | null }[] = [];
  await eachFrame(source, frames, ctl, (frame, k) => {
    const c = composeFrame(frame, plan.compose);
    const n = c.width * c.height;
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      rgb[3 * i] = c.rgba[4 * i];
      rgb[3 * i + 1] = c.rgba[4 * i + 1];
      rgb[3 * i + 2] = c.rgba[4 * i + 2];
    }
    zip[`${pad6(k)}.png`] = [encodePng({ width: c.width, height: c.height, channels: 3, data: rgb }), { level: 0 }];
    table.push({ k, index: frame.info.index, number: frame.info.number, time: frame.info.time, limits: c.limits });
  });
  const info = {
    format: 'framescope png-zip rendered',
    field: plan.field.name,
    colormap: plan.compose.colormap,
    limitsMode: opts.limits,
    limitsScope: opts.limits === 'manual' ? 'manual' : opts.limitsScope,
    limits: plan.limits ?? 'per frame (see frames[].limits)',
    timeUnit: source.timeUnit,
    frames: table,
  };
  zip['frames.json'] = new TextEncoder().encode(JSON.stringify(info, null, 2));
  return [
    { path: `${baseName(source, opts.name)}.zip`, bytes: zipSync(zip, { mtime: new Date(1980, 0, 1) }), note: 'rendered 8-bit RGB (lossy view of the data)' },
  ];
}
