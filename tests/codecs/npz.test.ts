import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/codecs/npy';
import { crc32, encodeNpz, openNpz } from '../../src/codecs/npz';
import { FormatError } from '../../src/formats/errors';
import { bytesSourceFile } from '../../src/io/slice-file';
import { describeFixtures, treeOf } from '../fixtures';
import { hasNumpy, NUMPY_MISSING, python } from './python';

const MEMBERS = ['dim_names', 'dim_types', 'dim_item_names', 'field_type', 'lower', 'upper', 'bounds_item_names', 'extrapolation', 'data'];

/** A SourceFile that counts its reads. */
function counted(path: string, bytes: Uint8Array) {
  const f = bytesSourceFile(path, bytes);
  const reads: [number, number][] = [];
  return {
    reads,
    file: { ...f, read: (s?: number, e?: number) => (reads.push([s ?? 0, e ?? bytes.length]), f.read(s, e)) },
  };
}

describe('npz: writer and reader round trip', () => {
  const members = {
    a: encodeNpy({ shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) }),
    names: encodeNpy({ shape: [2], data: ['x', 'y'] }),
    big: encodeNpy({ shape: [4096], data: Float64Array.from({ length: 4096 }, (_, k) => k % 17) }),
  };
  for (const compress of [false, true]) {
    it(`compress=${compress}`, async () => {
      const z = encodeNpz(members, { compress });
      const npz = await openNpz(bytesSourceFile('t.npz', z));
      expect(npz.names).toEqual(['a', 'names', 'big']);
      expect(npz.entries.map((e) => e.fileName)).toEqual(['a.npy', 'names.npy', 'big.npy']);
      expect(npz.entries.every((e) => e.method === (compress ? 8 : 0))).toBe(true);
      expect(Array.from((await npz.read('a')).data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await npz.read('names.npy')).data).toEqual(['x', 'y']);
      const all = await npz.readMany();
      expect((all.big.data as Float64Array)[4095]).toBe(4095 % 17);
      expect(await npz.readBytes('a')).toEqual(members.a);
      if (compress) expect(z.length).toBeLessThan(members.big.length);
    });
  }

  it('small files cost one read; member reads of a large file are bounded to the member', async () => {
    const small = counted('s.npz', encodeNpz(members, { compress: true }));
    const npz = await openNpz(small.file);
    await npz.readMany();
    expect(small.reads.length).toBe(1);
    const huge = encodeNpz(
      { pad: encodeNpy({ shape: [100000], data: Float64Array.from({ length: 100000 }, Math.random) }), x: members.a },
      { compress: false },
    );
    const c = counted('h.npz', huge);
    const h = await openNpz(c.file);
    const e = h.entries.find((m) => m.name === 'pad')!;
    await h.read('pad');
    expect(c.reads.length).toBe(2);
    const [s, end] = c.reads[1];
    expect(s).toBe(e.localOffset);
    expect(end - s).toBeLessThan(e.compressedSize + 200);
  });

  it('reads a ZIP64 end-of-central-directory record and ZIP64 local extra fields', async () => {
    const z = encodeNpz(members, { compress: true });
    const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
    const eocd = z.length - 22;
    expect(dv.getUint32(eocd, true)).toBe(0x06054b50);
    const count = dv.getUint16(eocd + 10, true);
    const cdSize = dv.getUint32(eocd + 12, true);
    const cdOff = dv.getUint32(eocd + 16, true);
    // ZIP64 EOCD record (56 bytes) + locator (20 bytes) + EOCD with 0xFFFF.. fields
    const rec = new Uint8Array(56 + 20 + 22);
    const r = new DataView(rec.buffer);
    r.setUint32(0, 0x06064b50, true);
    r.setBigUint64(4, 44n, true);
    r.setUint16(12, 45, true);
    r.setUint16(14, 45, true);
    r.setBigUint64(24, BigInt(count), true);
    r.setBigUint64(32, BigInt(count), true);
    r.setBigUint64(40, BigInt(cdSize), true);
    r.setBigUint64(48, BigInt(cdOff), true);
    r.setUint32(56, 0x07064b50, true);
    r.setBigUint64(56 + 8, BigInt(eocd), true);
    r.setUint32(56 + 16, 1, true);
    r.setUint32(76, 0x06054b50, true);
    r.setUint16(76 + 8, 0xffff, true);
    r.setUint16(76 + 10, 0xffff, true);
    r.setUint32(76 + 12, 0xffffffff, true);
    r.setUint32(76 + 16, 0xffffffff, true);
    const z64 = new Uint8Array(eocd + rec.length);
    z64.set(z.subarray(0, eocd));
    z64.set(rec, eocd);
    const npz = await openNpz(bytesSourceFile('z64.npz', z64));
    expect(npz.names).toEqual(['a', 'names', 'big']);
    expect((await npz.read('names')).data).toEqual(['x', 'y']);
  });

  it('rejects members above the size limit and impossible ratios before inflating', async () => {
    const z = encodeNpz(members, { compress: true });
    const npz = await openNpz(bytesSourceFile('lim.npz', z), { maxMemberBytes: 1000 });
    await expect(npz.read('big')).rejects.toThrow(/above the limit/);
    expect((await npz.read('a')).shape).toEqual([3, 2]);
  });

  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describeFixtures('npz: PhiFlow fixture files (numpy 1.24 and 2.4 writers)', (dir) => {
  for (const scenes of ['scenes', 'scenes_numpy2']) {
    it(`${scenes}: every npz opens, members in order, data matches the oracle statistics`, async () => {
      const oracle = JSON.parse(readFileSync(join(dir, 'phiflow', scenes, 'ORACLE.json'), 'utf8'));
      const tree = await treeOf('phiflow', scenes);
      const npzFiles = tree.files.filter((f) => f.path.endsWith('.npz'));
      expect(npzFiles.length).toBe(8 * 10 + 2 * 10 + 3 * 10);
      for (const f of npzFiles) {
        const npz = await openNpz(f);
        expect(npz.names, f.path).toEqual(MEMBERS);
        expect(npz.entries.every((e) => e.method === 8)).toBe(true);
        const m = await npz.readMany();
        const [scene, file] = f.path.split('/');
        const field = file.slice(0, -11);
        const frame = Number(file.slice(-10, -4));
        const st = oracle.scenes[scene].fields[field].all_frames_data_stats[String(frame)];
        const data = m.data.data as Float32Array;
        expect(m.data.shape).toEqual(st.shape);
        let mn = Infinity;
        let mx = -Infinity;
        let sum = 0;
        for (const v of data) {
          mn = Math.min(mn, v);
          mx = Math.max(mx, v);
          sum += v;
        }
        expect(mn).toBe(st.min);
        expect(mx).toBe(st.max);
        expect(sum).toBeCloseTo(st.sum, 3);
      }
    });
  }

  it('numpy-2 files carry 0xFFFFFFFF local sizes; sizes come from the central directory', async () => {
    const tree = await treeOf('phiflow', 'scenes_numpy2', 'sim_000000');
    const f = tree.files.find((x) => x.path === 'density_000000.npz')!;
    const b = await f.read();
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    expect(dv.getUint32(0, true)).toBe(0x04034b50);
    expect(dv.getUint32(18, true)).toBe(0xffffffff);
    const npz = await openNpz(f);
    expect(npz.entries[0].compressedSize).toBeLessThan(0xffff);
    expect((await npz.read('dim_names')).data).toEqual(['x', 'y']);
  });
});

describe.skipIf(!hasNumpy())(`npz: cross-check with numpy (skipped when ${NUMPY_MISSING})`, () => {
  it('reads numpy.savez and savez_compressed output, and numpy loads encodeNpz output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npz-'));
    writeFileSync(
      join(dir, 'ours_c.npz'),
      encodeNpz({ a: encodeNpy({ shape: [2, 2], data: Int32Array.of(1, 2, 3, -4) }), s: encodeNpy({ shape: [], data: ['hi'] }) }, { compress: true }),
    );
    writeFileSync(join(dir, 'ours_s.npz'), encodeNpz({ x: encodeNpy({ shape: [3], data: Float64Array.of(0.5, 1, 2) }) }, { compress: false }));
    const out = python(
      String.raw`
import numpy as np, sys, os, json
d = sys.argv[1]
np.savez(os.path.join(d, 'np_s.npz'), a=np.arange(12, dtype='<f4').reshape(3, 4), b=np.array(['p', 'qq']))
np.savez_compressed(os.path.join(d, 'np_c.npz'), a=np.arange(100000, dtype='>i4'), z=np.zeros((0,)))
c = np.load(os.path.join(d, 'ours_c.npz'))
s = np.load(os.path.join(d, 'ours_s.npz'))
print(json.dumps([c['a'].tolist(), str(c['s']), s['x'].tolist(), sorted(c.files)]))
`,
      [dir],
    );
    expect(JSON.parse(out)).toEqual([
      [
        [1, 2],
        [3, -4],
      ],
      'hi',
      [0.5, 1, 2],
      ['a', 's'],
    ]);
    const s = await openNpz(bytesSourceFile('np_s.npz', new Uint8Array(readFileSync(join(dir, 'np_s.npz')))));
    expect(s.names).toEqual(['a', 'b']);
    expect(s.entries.map((e) => e.method)).toEqual([0, 0]);
    expect(Array.from((await s.read('a')).data as Float32Array)).toEqual(Array.from({ length: 12 }, (_, k) => k));
    expect((await s.read('b')).data).toEqual(['p', 'qq']);
    const c = await openNpz(bytesSourceFile('np_c.npz', new Uint8Array(readFileSync(join(dir, 'np_c.npz')))));
    const a = await c.read('a');
    expect(a.dtype).toBe('>i4');
    expect((a.data as Int32Array)[99999]).toBe(99999);
    expect((await c.read('z')).shape).toEqual([0]);
  });
});

describe('npz: FormatError basics', () => {
  it('not a zip', async () => {
    const err = await openNpz(bytesSourceFile('x.npz', new Uint8Array(100))).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.path).toBe('x.npz');
  });
});
