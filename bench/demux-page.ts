/**
 * Browser side of bench/demux.bench.ts (imported by the page through Vite, so the bare `mediabunny`
 * import resolves): the packet table of the first video track of an MP4 / MKV Blob, built by
 * framescope's own demuxers (readVideoTrack, readMkvH264Track) and by mediabunny (Input +
 * BlobSource + EncodedPacketSink, metadata-only packets), with the bytes each reads, plus the time
 * to the first decoded frame through WebCodecs on each path. mediabunny is a devDependency for this
 * comparison only; nothing in src/ imports it.
 */
import { ALL_FORMATS, BlobSource, EncodedPacketSink, Input, VideoSampleSink } from 'mediabunny';
import type { SourceFile } from '../src/core/types';
import { blobSourceFile } from '../src/io/slice-file';
import { readVideoTrack } from '../src/video/mp4-index';
import { openWebCodecsH264, readMkvH264Track } from '../src/video/webcodecs-h264';

/** one video packet, decode order; `t` presentation time in seconds, `offset` -1 where unknown */
export interface Packet {
  offset: number;
  size: number;
  t: number;
  key: boolean;
}

export interface TableRun {
  ms: number;
  reads: number;
  bytes: number;
  packets: Packet[];
}

/** A SourceFile over `blob` counting its reads (no `blob` field, so nothing can bypass the count). */
function counted(name: string, blob: Blob): { file: SourceFile; stats: { reads: number; bytes: number } } {
  const inner = blobSourceFile(name, blob);
  const stats = { reads: 0, bytes: 0 };
  const file: SourceFile = {
    path: name,
    size: inner.size,
    async read(start, end) {
      const b = await inner.read(start, end);
      stats.reads++;
      stats.bytes += b.length;
      return b;
    },
  };
  return { file, stats };
}

export async function oursTable(name: string, blob: Blob): Promise<TableRun> {
  const { file, stats } = counted(name, blob);
  const t0 = performance.now();
  const mkv = /\.(mkv|webm)$/i.test(name);
  const tr = mkv ? await readMkvH264Track(file) : await readVideoTrack(file);
  if (!tr) throw new Error(`${name}: our demuxer gave no track`);
  const packets: Packet[] = tr.samples.map((s) => ({ offset: s.offset, size: s.size, t: (s.cts - tr.shiftTicks) / tr.timescale + tr.delay, key: s.sync }));
  return { ms: performance.now() - t0, reads: stats.reads, bytes: stats.bytes, packets };
}

/** mediabunny: `mode` 'iterator' = sink.packets(), 'next' = getFirstPacket/getNextPacket; both metadata-only */
export async function bunnyTable(blob: Blob, mode: 'iterator' | 'next'): Promise<TableRun> {
  const stats = { reads: 0, bytes: 0 };
  const t0 = performance.now();
  const source = new BlobSource(blob);
  source.on('read', ({ start, end }) => {
    stats.reads++;
    stats.bytes += end - start;
  });
  const input = new Input({ source, formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error('mediabunny found no video track');
    const sink = new EncodedPacketSink(track);
    const packets: Packet[] = [];
    const opts = { metadataOnly: true };
    if (mode === 'iterator') {
      for await (const p of sink.packets(undefined, undefined, opts)) packets.push({ offset: -1, size: p.byteLength, t: p.timestamp, key: p.type === 'key' });
    } else {
      for (let p = await sink.getFirstPacket(opts); p; p = await sink.getNextPacket(p, opts))
        packets.push({ offset: -1, size: p.byteLength, t: p.timestamp, key: p.type === 'key' });
    }
    return { ms: performance.now() - t0, reads: stats.reads, bytes: stats.bytes, packets };
  } finally {
    input.dispose();
  }
}

/** differences between two tables (count, then per packet size / key / time), at most `max` listed */
export function compare(a: Packet[], b: Packet[], max = 5): { equal: boolean; count: [number, number]; diffs: string[]; maxDt: number } {
  const diffs: string[] = [];
  let maxDt = 0;
  let bad = 0;
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const dt = Math.abs(a[k].t - b[k].t);
    maxDt = Math.max(maxDt, dt);
    const what: string[] = [];
    if (a[k].size !== b[k].size) what.push(`size ${a[k].size}/${b[k].size}`);
    if (a[k].key !== b[k].key) what.push(`key ${a[k].key}/${b[k].key}`);
    if (dt > 1e-6) what.push(`t ${a[k].t}/${b[k].t}`);
    if (what.length && bad++ < max) diffs.push(`#${k}: ${what.join(', ')}`);
  }
  if (bad > max) diffs.push(`… ${bad} packets differ in all`);
  return { equal: a.length === b.length && bad === 0, count: [a.length, b.length], diffs, maxDt };
}

/** open → first frame decoded and copied out (I420, the stored format) on our WebCodecs path */
export async function oursFirstFrame(name: string, blob: Blob): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const vf = await openWebCodecsH264(blobSourceFile(name, blob), {
    fallback: () => Promise.reject(new Error('fallback')),
  });
  if (!vf) throw new Error(`${name}: WebCodecs path does not apply`);
  try {
    const f = await vf.readFrame(0);
    return { ms: performance.now() - t0, bytes: f.data.length };
  } finally {
    vf.close();
  }
}

/** the same with mediabunny: VideoSampleSink.getSample(first timestamp), copyTo an I420 buffer */
export async function bunnyFirstFrame(blob: Blob): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error('no video track');
    const sink = new VideoSampleSink(track);
    const sample = await sink.getSample(await track.getFirstTimestamp());
    if (!sample) throw new Error('no sample');
    const buf = new Uint8Array(sample.allocationSize());
    await sample.copyTo(buf);
    sample.close();
    return { ms: performance.now() - t0, bytes: buf.length };
  } finally {
    input.dispose();
  }
}
