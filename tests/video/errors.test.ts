/**
 * Damaged AVI and Matroska indexes: truncated and corrupted headers and index structures give a
 * FormatError naming the file and the byte offset (or a clean result for what is intact); random
 * corruption never hangs and never throws anything but FormatError.
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/formats/errors';
import { bytesSourceFile } from '../../src/io/slice-file';
import { readAviIndex, readAviVideoIndex } from '../../src/video/avi-index';
import { readMkvVideoIndex } from '../../src/video/mkv-index';
import { buildAvi } from './build-avi';
import { buildMkv } from './build-mkv';

async function formatError(p: Promise<unknown>): Promise<FormatError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}

const le32 = (b: Uint8Array, at: number, v: number) => {
  for (let k = 0; k < 4; k++) b[at + k] = (v >>> (8 * k)) & 255;
};

const frames = Array.from({ length: 12 }, (_, i) => ({ size: 20 + i, key: i % 4 === 0 }));

describe('AVI index errors', () => {
  const odml = buildAvi({ frames, segments: [7, 5], odml: true });
  const plain = buildAvi({ frames });

  it('cut inside the header list → FormatError naming the file at the hdrl offset', async () => {
    const e = await formatError(readAviVideoIndex(bytesSourceFile('movies/cut.avi', plain.bytes.subarray(0, 150)), { format: 'pypde' }));
    expect(e.path).toBe('movies/cut.avi');
    expect(e.format).toBe('pypde');
    expect(e.offset).toBe(12);
    expect(e.reason).toMatch(/header list .* runs past the end of the file/);
    // the imgstore view names its own format
    const e2 = await formatError(readAviIndex(bytesSourceFile('store/000003.avi', plain.bytes.subarray(0, 150))));
    expect(e2.format).toBe('imgstore');
  });

  it('RIFF AVI without hdrl → FormatError at byte 12', async () => {
    const b = new Uint8Array(64);
    b.set(
      [...'RIFF'].map((c) => c.charCodeAt(0)),
      0,
    );
    le32(b, 4, 56);
    b.set(
      [...'AVI JUNK'].map((c) => c.charCodeAt(0)),
      8,
    );
    le32(b, 16, 44);
    const e = await formatError(readAviVideoIndex(bytesSourceFile('j.avi', b)));
    expect(e.offset).toBe(12);
    expect(e.reason).toMatch(/no 'hdrl'/);
  });

  it('stream header shorter than 48 bytes → FormatError at the strh chunk', async () => {
    const b = plain.bytes.slice();
    const at = new TextDecoder('latin1').decode(b).indexOf('strh');
    le32(b, at + 4, 20);
    const e = await formatError(readAviVideoIndex(bytesSourceFile('s.avi', b)));
    expect(e.offset).toBe(at);
    expect(e.reason).toMatch(/stream header of 20 bytes/);
  });

  it('OpenDML super index with more entries than it holds → FormatError at its entry count', async () => {
    const b = odml.bytes.slice();
    le32(b, odml.indxPos + 4, 5000);
    const e = await formatError(readAviVideoIndex(bytesSourceFile('o.avi', b)));
    expect(e.offset).toBe(odml.indxPos + 4);
    expect(e.reason).toMatch(/lists 5000 entries/);
  });

  it('super index entry pointing at a frame instead of an ix## chunk → FormatError at that entry', async () => {
    const b = odml.bytes.slice();
    le32(b, odml.indxPos + 24 + 16, odml.dataOffsets[3] - 8);
    const e = await formatError(readAviVideoIndex(bytesSourceFile('o.avi', b)));
    expect(e.offset).toBe(odml.indxPos + 24 + 16);
    expect(e.reason).toMatch(/points at '00dc'/);
  });

  it('standard index with a wrong entry size / another stream / unknown type → FormatError in that ix00', async () => {
    const ix = odml.ixPos[0] + 8;
    let b = odml.bytes.slice();
    b[ix] = 3; // wLongsPerEntry
    let e = await formatError(readAviVideoIndex(bytesSourceFile('o.avi', b)));
    expect(e.offset).toBe(ix);
    expect(e.reason).toMatch(/3 longs per entry/);
    b = odml.bytes.slice();
    b.set([0x30, 0x31], ix + 8); // '01dc'
    e = await formatError(readAviVideoIndex(bytesSourceFile('o.avi', b)));
    expect(e.offset).toBe(ix + 8);
    b = odml.bytes.slice();
    b[odml.indxPos + 3] = 7; // bIndexType of indx
    e = await formatError(readAviVideoIndex(bytesSourceFile('o.avi', b)));
    expect(e.offset).toBe(odml.indxPos + 3);
  });

  it('idx1 whose first entry points nowhere → FormatError at that entry', async () => {
    const b = plain.bytes.slice();
    le32(b, plain.idx1Pos + 8, 3);
    const e = await formatError(readAviVideoIndex(bytesSourceFile('i.avi', b)));
    expect(e.offset).toBe(plain.idx1Pos);
    expect(e.reason).toMatch(/idx1 entry 0 does not point/);
  });

  it('idx1 cut short: ignored, every complete frame found by the walk', async () => {
    const cut = plain.idx1Pos + 16 * 5 + 3;
    const idx = (await readAviVideoIndex(bytesSourceFile('i.avi', plain.bytes.subarray(0, cut))))!;
    expect(idx.source).toBe('scan');
    expect(idx.pts).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('random corruption of the header and indexes: a table or a FormatError, never a hang or another error', async () => {
    let x = 2024;
    const rnd = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const src of [odml, plain]) {
      for (let trial = 0; trial < 150; trial++) {
        const b = src.bytes.slice();
        const n = 1 + Math.floor(rnd() * 6);
        for (let k = 0; k < n; k++) {
          // mostly header / index bytes, sometimes anywhere
          const region = rnd() < 0.6 ? Math.floor(rnd() * 400) : Math.floor(rnd() * b.length);
          b[region] = Math.floor(rnd() * 256);
        }
        const cut = rnd() < 0.3 ? Math.floor(rnd() * b.length) : b.length;
        try {
          const r = await readAviVideoIndex(bytesSourceFile('f.avi', b.subarray(0, cut)));
          if (r) for (let i = 0; i < r.offsets.length; i++) expect(r.offsets[i] + r.sizes[i]).toBeLessThanOrEqual(cut);
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
          expect((e as FormatError).path).toBe('f.avi');
        }
      }
    }
  });
});

describe('Matroska index errors', () => {
  const spec = {
    cues: [0, 1],
    clusters: [
      {
        ts: 0,
        blocks: [
          { rel: 0, size: 30, key: true },
          { rel: 40, size: 20 },
        ],
      },
      {
        ts: 80,
        blocks: [
          { rel: 0, size: 25, key: true },
          { rel: 40, size: 21 },
        ],
      },
    ],
  };
  const m = buildMkv(spec);

  it('a zero byte where a cluster child starts → FormatError at that byte', async () => {
    const b = m.bytes.slice();
    const at = m.frames[1].offset - 4 - 8 - 1; // the second block's element ID
    expect(b[at]).toBe(0xa3);
    b[at] = 0;
    const e = await formatError(readMkvVideoIndex(bytesSourceFile('z/z.mkv', b), { format: 'pypde' }));
    expect(e.path).toBe('z/z.mkv');
    expect(e.format).toBe('pypde');
    expect(e.offset).toBe(at);
    expect(e.reason).toMatch(/invalid EBML element ID/);
  });

  it('a block running past its cluster → FormatError at the block', async () => {
    const b = m.bytes.slice();
    const at = m.frames[1].offset - 4 - 8; // size field of the second block
    b[at + 7] += 200;
    const e = await formatError(readMkvVideoIndex(bytesSourceFile('b.mkv', b)));
    expect(e.offset).toBe(at - 1);
    expect(e.reason).toMatch(/runs past its cluster/);
  });

  it('laced video blocks → FormatError (not indexed: the caller scans packets instead)', async () => {
    const l = buildMkv({
      clusters: [
        {
          ts: 0,
          blocks: [
            { rel: 0, size: 10, key: true },
            { rel: 40, size: 10, lacing: 0x04 },
          ],
        },
      ],
    });
    const e = await formatError(readMkvVideoIndex(bytesSourceFile('l.mkv', l.bytes)));
    expect(e.offset).toBe(l.frames[1].offset - 4);
    expect(e.reason).toMatch(/laced/);
  });

  it('EBML header not followed by a Segment; no Tracks; Tracks cut off → FormatError with offsets', async () => {
    const b = m.bytes.slice();
    b[m.segmentStart - 12] = 0x1f; // Segment ID → something else
    let e = await formatError(readMkvVideoIndex(bytesSourceFile('s.mkv', b)));
    expect(e.offset).toBe(m.segmentStart - 12);
    expect(e.reason).toMatch(/Segment expected/);
    const noTracks = m.bytes.slice();
    const t = noTracks.findIndex((v, i) => v === 0x16 && noTracks[i + 1] === 0x54 && noTracks[i + 2] === 0xae && noTracks[i + 3] === 0x6b);
    noTracks[t + 3] = 0x6c; // unknown top-level ID: skipped
    e = await formatError(readMkvVideoIndex(bytesSourceFile('t.mkv', noTracks)));
    expect(e.reason).toMatch(/no Tracks element/);
    e = await formatError(readMkvVideoIndex(bytesSourceFile('t.mkv', m.bytes.subarray(0, t + 20))));
    expect(e.reason).toMatch(/Tracks element runs past the end/);
    expect(e.offset).toBe(t + 12);
  });

  it('a block before the cluster timestamp → FormatError', async () => {
    const b = m.bytes.slice();
    const ts = m.clusterPos[0] + 12; // Timestamp element (ID 0xE7) → Void (0xEC)
    expect(b[ts]).toBe(0xe7);
    b[ts] = 0xec;
    const e = await formatError(readMkvVideoIndex(bytesSourceFile('t.mkv', b)));
    expect(e.reason).toMatch(/before its cluster timestamp/);
  });

  it('truncated anywhere: a prefix of the table or a FormatError; never past the end of the file', async () => {
    const whole = (await readMkvVideoIndex(bytesSourceFile('w.mkv', m.bytes)))!;
    for (let cut = 0; cut <= m.bytes.length; cut += 7) {
      try {
        const r = await readMkvVideoIndex(bytesSourceFile('w.mkv', m.bytes.subarray(0, cut)));
        if (r) {
          expect(r.pts).toEqual(whole.pts.slice(0, r.pts.length));
          for (let i = 0; i < r.offsets.length; i++) expect(r.offsets[i] + r.sizes[i]).toBeLessThanOrEqual(cut);
        }
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });

  it('random corruption: a table or a FormatError, never a hang or another error', async () => {
    let x = 77;
    const rnd = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 300; trial++) {
      const b = m.bytes.slice();
      const n = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      try {
        const r = await readMkvVideoIndex(bytesSourceFile('r.mkv', b));
        if (r) for (let i = 0; i < r.offsets.length; i++) expect(r.offsets[i] + r.sizes[i]).toBeLessThanOrEqual(b.length);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).path).toBe('r.mkv');
      }
    }
  });
});
