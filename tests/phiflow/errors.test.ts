import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, npyHeader } from '../../src/codecs/npy';
import { encodeNpz, openNpz } from '../../src/codecs/npz';
import { unpickle } from '../../src/codecs/pickle';
import { FormatError } from '../../src/formats/errors';
import { open } from '../../src/formats/phiflow/open';
import { bytesSourceFile } from '../../src/io/slice-file';
import { describeFixtures, fixture } from '../fixtures';
import { fieldMembers, treeFrom } from './synth';

async function formatError(p: Promise<unknown> | (() => unknown)): Promise<FormatError> {
  let err: unknown = null;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a FormatError').toBeInstanceOf(FormatError);
  return err as FormatError;
}

async function readAll(bytes: Uint8Array, path = 'f_000000.npz') {
  const npz = await openNpz(bytesSourceFile(path, bytes));
  return npz.readMany();
}

function cdOffsetOf(z: Uint8Array): number {
  const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
  for (let p = z.length - 22; p >= 0; p--) if (dv.getUint32(p, true) === 0x06054b50) return dv.getUint32(p + 16, true);
  throw new Error('no EOCD');
}

const SMALL = {
  dims: [
    { name: 'x', type: 'spatial' },
    { name: 'y', type: 'spatial' },
  ],
  shape: [4, 3],
  data: Float32Array.from({ length: 12 }, (_, k) => k),
};

/** A scene whose single field file has its member `name` replaced by `bytes`. */
function sceneWith(name: string, bytes: Uint8Array) {
  const m = fieldMembers(SMALL);
  m[name] = bytes;
  return treeFrom('bad', { 'sim_000000/f_000000.npz': encodeNpz(m, { compress: true }) });
}

describeFixtures('PhiFlow errors on damaged fixture files', () => {
  const path = fixture('phiflow', 'scenes_numpy2', 'sim_000000', 'velocity_000000.npz');
  const good = new Uint8Array(readFileSync(path));
  const cd = cdOffsetOf(good);

  it('truncated npz at several points (header, middle, inside the central directory, in the end record)', async () => {
    for (const cut of [0, 10, 30, Math.floor(good.length / 2), cd + 20, cd + 60, good.length - 30, good.length - 5]) {
      const e = await formatError(readAll(good.subarray(0, cut), 'velocity_000000.npz'));
      expect(e.path).toBe('velocity_000000.npz');
      expect(e.format).toBe('npz');
      expect(e.offset).toBeTypeOf('number');
    }
  });

  it('corrupted local header, compressed data and CRC', async () => {
    const badSig = good.slice();
    badSig[0] ^= 0xff;
    let e = await formatError(readAll(badSig));
    expect(e.reason).toMatch(/local header signature/);
    expect(e.offset).toBe(0);

    // corrupt the compressed stream of the last member (data) in its middle
    const npz = await openNpz(bytesSourceFile('v.npz', good));
    const data = npz.entries.find((x) => x.name === 'data')!;
    const mid = data.localOffset + 30 + 8 + 20 + Math.floor(data.compressedSize / 2);
    const badData = good.slice();
    for (let k = 0; k < 16; k++) badData[mid + k] ^= 0x5a;
    e = await formatError(readAll(badData, 'v.npz'));
    expect(e.path).toBe('v.npz');
    expect(e.reason).toMatch(/deflate|CRC|inflated/);

    // a wrong CRC in the central directory
    const badCrc = good.slice();
    const dv = new DataView(badCrc.buffer);
    let p = cd;
    while (dv.getUint32(p, true) === 0x02014b50) {
      const nlen = dv.getUint16(p + 28, true);
      const name = new TextDecoder().decode(badCrc.subarray(p + 46, p + 46 + nlen));
      if (name === 'data.npy') dv.setUint32(p + 16, dv.getUint32(p + 16, true) ^ 1, true);
      p += 46 + nlen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
    }
    e = await formatError(readAll(badCrc));
    expect(e.reason).toMatch(/CRC-32 mismatch in data\.npy/);
  });

  it('a damaged file fails readFrame with a FormatError naming it; the scene still opens', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const f of [0, 1]) {
      const name = `velocity_00000${f}.npz`;
      files[`sim_000000/${name}`] = new Uint8Array(readFileSync(fixture('phiflow', 'scenes', 'sim_000000', name)));
    }
    files['sim_000000/velocity_000001.npz'] = files['sim_000000/velocity_000001.npz'].subarray(0, 700);
    const src = await open(treeFrom('t', files));
    expect(src.frames.length).toBe(2);
    const e = await formatError(src.readFrame(1));
    expect(e.path).toBe('sim_000000/velocity_000001.npz');
  });
});

describe('PhiFlow errors on bad members', () => {
  it('npy: bad magic, bad header, unsupported dtype, shape-size mismatch, truncated', async () => {
    const good = encodeNpy({ shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) });
    const bad = good.slice();
    bad[1] = 0x41;
    let e = await formatError(() => decodeNpy(bad, 'a.npy'));
    expect(e.reason).toMatch(/magic/);
    expect([e.path, e.offset]).toEqual(['a.npy', 0]);

    const h = npyHeader('<f4', [2, 2]);
    const text = new TextDecoder().decode(h.subarray(10)).replace("'shape': (2, 2)", "'shape': [2; 2]");
    const badHeader = new Uint8Array([...h.subarray(0, 10), ...new TextEncoder().encode(text), ...new Uint8Array(16)]);
    e = await formatError(() => decodeNpy(badHeader, 'b.npy'));
    expect(e.reason).toMatch(/bad header/);
    expect(e.offset).toBeGreaterThan(10);

    e = await formatError(() => decodeNpy(new Uint8Array([...npyHeader("[('a', '<f4')]", [1]), 0, 0, 0, 0]), 'c.npy'));
    expect(e.path).toBe('c.npy');

    e = await formatError(() => decodeNpy(new Uint8Array([...npyHeader('<f4', [3, 3]), ...new Uint8Array(16)]), 'd.npy'));
    expect(e.reason).toMatch(/needs 36 bytes, only 16/);

    e = await formatError(() => decodeNpy(good.subarray(0, 40), 'e.npy'));
    expect(e.reason).toMatch(/truncated/);

    // the same through a scene: the error names the npz member
    const src = await open(
      treeFrom('x', {
        'f_000000.npz': encodeNpz(fieldMembers(SMALL), { compress: true }),
        'f_000001.npz': encodeNpz({ ...fieldMembers(SMALL), data: new Uint8Array([...npyHeader('<f4', [4, 3]), 1, 2, 3]) }, { compress: true }),
      }),
    );
    e = await formatError(src.readFrame(1));
    expect(e.path).toBe('f_000001.npz/data.npy');
  });

  it('pickle: unknown opcode, forbidden global (os.system), truncated stream', async () => {
    const obj = (body: number[]) => new Uint8Array([...npyHeader('|O', []), ...body]);
    const enc = (s: string) => Array.from(new TextEncoder().encode(s));
    let e = await formatError(open(sceneWith('extrapolation', obj([0x80, 3, 0x8f, 0x2e]))));
    expect(e.format).toBe('pickle');
    expect(e.path).toBe('sim_000000/f_000000.npz/extrapolation.npy');
    expect(e.reason).toMatch(/unsupported pickle opcode 0x8f at offset \d+/);

    e = await formatError(open(sceneWith('extrapolation', obj([0x80, 2, 0x63, ...enc('os\nsystem\n'), 0x58, 2, 0, 0, 0, ...enc('ls'), 0x85, 0x52, 0x2e]))));
    expect(e.reason).toBe('refusing global os.system');

    e = await formatError(open(sceneWith('dim_item_names', obj([0x80, 3, 0x5d, 0x28, 0x4e]))));
    expect(e.reason).toMatch(/truncated pickle/);
    expect(() => unpickle(new Uint8Array([0x80, 4, 0x95, 10, 0, 0, 0, 0, 0, 0, 0]), 'p')).toThrow(FormatError);
  });

  it('grid members: missing data, unsupported field_type, dims mismatch', async () => {
    const m = fieldMembers(SMALL);
    delete (m as Record<string, Uint8Array>).data;
    let e = await formatError(open(treeFrom('x', { 'f_000000.npz': encodeNpz(m, { compress: false }) })));
    expect(e.reason).toMatch(/no 'data' member/);
    e = await formatError(open(sceneWith('field_type', encodeNpy({ shape: [], data: ['PointCloud'] }))));
    expect(e.reason).toMatch(/unsupported field_type 'PointCloud'/);
    expect(e.path).toBe('sim_000000/f_000000.npz');
    e = await formatError(open(sceneWith('dim_names', encodeNpy({ shape: [3], data: ['x', 'y', 'z'] }))));
    expect(e.reason).toMatch(/dim_types has 2 entries, dim_names 3/);
  });

  it('bad description.json', async () => {
    const tree = treeFrom('x', { 'f_000000.npz': encodeNpz(fieldMembers(SMALL), { compress: true }), 'description.json': '{"dt": 0.1,,}' });
    const e = await formatError(open(tree));
    expect(e.path).toBe('description.json');
    expect(e.reason).toMatch(/not valid JSON/);
    const e2 = await formatError(open(treeFrom('x', { 'f_000000.npz': encodeNpz(fieldMembers(SMALL), { compress: true }), 'description.json': '[1]' })));
    expect(e2.reason).toMatch(/not a JSON object/);
  });

  it('large members (streamed inflate): corrupt data and a stream longer than the directory says', async () => {
    const big = encodeNpy({ shape: [50000], data: Float32Array.from({ length: 50000 }, (_, k) => Math.sin(k / 7)) });
    const z = encodeNpz({ data: big }, { compress: true });
    expect((await readAll(z)).data.shape).toEqual([50000]);
    const bad = z.slice();
    for (let k = 0; k < 64; k++) bad[2000 + k] ^= 0xa5;
    let e = await formatError(readAll(bad, 'big.npz'));
    expect(e.path).toBe('big.npz');
    expect(e.reason).toMatch(/deflate|CRC|inflated/);
    const cut = z.slice();
    const cd = cdOffsetOf(cut);
    new DataView(cut.buffer).setUint32(cd + 24, big.length - 1000, true); // size in the directory too small
    e = await formatError(readAll(cut, 'long.npz'));
    expect(e.reason).toMatch(/inflates past|CRC/);
  });

  it('decompression limits: a member claiming a huge size is refused before inflating', async () => {
    const z = encodeNpz({ a: encodeNpy({ shape: [4], data: Float32Array.of(1, 2, 3, 4) }) }, { compress: true });
    const dv = new DataView(z.buffer);
    const cd = cdOffsetOf(z);
    dv.setUint32(cd + 24, 0x7fffffff, true); // uncompressed size in the directory
    const npz = await openNpz(bytesSourceFile('bomb.npz', z));
    const e = await formatError(npz.read('a'));
    expect(e.reason).toMatch(/above the limit|impossible compression ratio/);
    const e2 = await formatError(openNpz(bytesSourceFile('none.npz', new Uint8Array(10))));
    expect(e2.reason).toMatch(/smaller than a ZIP end record/);
  });
});
