/**
 * Hand-built Matroska files for the index parser tests: EBML header, Segment with SeekHead, Info,
 * Tracks (a video track, optionally an audio track), Clusters of SimpleBlocks / BlockGroups, Cues.
 * Block payloads are filled with the block's running number.
 */
export interface MkvBlockSpec {
  track?: number;
  /** timestamp relative to the cluster */
  rel: number;
  size: number;
  key?: boolean;
  /** BlockGroup (key = no ReferenceBlock) instead of SimpleBlock */
  group?: boolean;
  /** lacing bits (0x02 Xiph, 0x04 fixed, 0x06 EBML) */
  lacing?: number;
}

export interface MkvClusterSpec {
  ts: number;
  blocks: MkvBlockSpec[];
  /** write the cluster with an unknown size */
  unknownSize?: boolean;
}

export interface MkvSpec {
  clusters: MkvClusterSpec[];
  timestampScale?: number;
  /** cue points: indexes of the clusters to list (track 1) */
  cues?: number[];
  audioTrack?: boolean;
}

export interface BuiltMkv {
  bytes: Uint8Array;
  segmentStart: number;
  clusterPos: number[];
  cuesPos: number;
  /** data offset and size of every block of track 1 */
  frames: { offset: number; size: number; pts: number; key: boolean }[];
}

function idBytes(id: number): number[] {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v & 255);
  return out;
}

function sizeBytes(n: number, len = 8): number[] {
  const out: number[] = [];
  let v = n;
  for (let k = 0; k < len; k++) {
    out.unshift(v & 255);
    v = Math.floor(v / 256);
  }
  out[0] |= 0x80 >> (len - 1);
  return out;
}

function el(id: number, payload: number[], unknown = false): number[] {
  return [...idBytes(id), ...(unknown ? [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] : sizeBytes(payload.length)), ...payload];
}

function uint(id: number, v: number, len = 8): number[] {
  const p: number[] = [];
  let x = v;
  for (let k = 0; k < len; k++) {
    p.unshift(x & 255);
    x = Math.floor(x / 256);
  }
  return el(id, p);
}

const str = (id: number, s: string) =>
  el(
    id,
    [...s].map((c) => c.charCodeAt(0)),
  );

export function buildMkv(spec: MkvSpec): BuiltMkv {
  const ebml = el(0x1a45dfa3, [...str(0x4282, 'matroska'), ...uint(0x4287, 4, 1), ...uint(0x4285, 2, 1)]);
  const info = el(0x1549a966, uint(0x2ad7b1, spec.timestampScale ?? 1_000_000, 4));
  const video = el(0xae, [...uint(0xd7, 1, 1), ...uint(0x83, 1, 1), ...str(0x86, 'V_FFV1'), ...el(0xe0, [...uint(0xb0, 16, 2), ...uint(0xba, 8, 2)])]);
  const audio = spec.audioTrack ? el(0xae, [...uint(0xd7, 2, 1), ...uint(0x83, 2, 1), ...str(0x86, 'A_PCM/INT/LIT')]) : [];
  const tracks = el(0x1654ae6b, [...video, ...audio]);
  // SeekHead with fixed-size positions, patched below
  const seekEntry = (id: number, pos: number) => el(0x4dbb, [...el(0x53ab, idBytes(id)), ...uint(0x53ac, pos, 8)]);
  const seekLen = seekEntry(0x1c53bb6b, 0).length;
  const seekHeadLen = el(0x114d9b74, new Array(seekLen).fill(0)).length;

  const body: number[] = [];
  // segment payload layout: SeekHead, Info, Tracks, Clusters..., Cues
  const relInfo = seekHeadLen;
  body.push(...info, ...tracks);
  const clusterRel: number[] = [];
  const frames: BuiltMkv['frames'] = [];
  let blockNo = 0;
  const pendingFrames: { rel: number; size: number; pts: number; key: boolean }[] = [];
  for (const c of spec.clusters) {
    const children: number[] = [...uint(0xe7, c.ts, 2)];
    for (const b of c.blocks) {
      const track = b.track ?? 1;
      const flags = (b.group ? 0 : b.key ? 0x80 : 0) | (b.lacing ?? 0);
      const head = [0x80 | track, (b.rel >> 8) & 255, b.rel & 255, flags];
      const payload = new Array(b.size).fill(blockNo++ & 255);
      let elBytes: number[];
      let dataInEl: number;
      if (b.group) {
        const block = el(0xa1, [...head, ...payload]);
        const ref = b.key ? [] : el(0xfb, [0xff]); // reference -1
        elBytes = el(0xa0, [...block, ...ref, ...uint(0x9b, 40, 1)]);
        dataInEl = 1 + 8 + 1 + 8 + head.length; // group id+size, block id+size, header
      } else {
        elBytes = el(0xa3, [...head, ...payload]);
        dataInEl = 1 + 8 + head.length;
      }
      if (track === 1 && b.size > 0) pendingFrames.push({ rel: children.length + dataInEl, size: b.size, pts: c.ts + b.rel, key: !!b.key });
      children.push(...elBytes);
    }
    const cluster = el(0x1f43b675, children, c.unknownSize);
    const start = relInfo + body.length;
    clusterRel.push(start);
    const childStart = start + 4 + 8;
    for (const f of pendingFrames) frames.push({ offset: childStart + f.rel, size: f.size, pts: f.pts, key: f.key });
    pendingFrames.length = 0;
    body.push(...cluster);
  }
  const cuesRel = relInfo + body.length;
  if (spec.cues) {
    const points = spec.cues.map((ci) =>
      el(0xbb, [...uint(0xb3, spec.clusters[ci].ts, 4), ...el(0xb7, [...uint(0xf7, 1, 1), ...uint(0xf1, clusterRel[ci], 8)])]),
    );
    body.push(...el(0x1c53bb6b, points.flat()));
  }
  const seekHead = el(0x114d9b74, seekEntry(0x1c53bb6b, spec.cues ? cuesRel : 0));
  const segPayload = [...seekHead, ...body];
  const segment = el(0x18538067, segPayload);
  const segmentStart = ebml.length + 4 + 8;
  const bytes = Uint8Array.from([...ebml, ...segment]);
  return {
    bytes,
    segmentStart,
    clusterPos: clusterRel.map((r) => segmentStart + r),
    cuesPos: segmentStart + cuesRel,
    frames: frames.map((f) => ({ ...f, offset: segmentStart + f.offset })),
  };
}
