import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeFixtures, fixture } from '../fixtures';
import { FormatError } from '../../src/formats/errors';
import { decodeDavisBuffer } from '../../src/formats/davis/read-buffer';
import { open } from '../../src/formats/davis/open';
import { bytesSourceFile } from '../../src/io/slice-file';
import { attr, concat, f32, i32, im7, text, u16 } from './synth';

async function fails(path: string, bytes: Uint8Array, reason: RegExp, offset?: number | ((o: number) => boolean)): Promise<FormatError> {
  let err: unknown = null;
  try {
    await decodeDavisBuffer(path, bytes);
  } catch (e) {
    err = e;
  }
  expect(err, `expected a FormatError for ${path}`).toBeInstanceOf(FormatError);
  const fe = err as FormatError;
  expect(fe.format).toBe('davis');
  expect(fe.path).toBe(path);
  expect(fe.reason).toMatch(reason);
  if (typeof offset === 'number') expect(fe.offset).toBe(offset);
  else if (offset) expect(offset(fe.offset!), `offset ${fe.offset}`).toBe(true);
  return fe;
}

const patch = (b: Uint8Array, at: number, bytes: Uint8Array) => {
  const c = b.slice();
  c.set(bytes, at);
  return c;
};
const i16 = (v: number) => new Uint8Array(Int16Array.from([v]).buffer);

describe('DaVis reader errors (synthetic)', () => {
  const good = im7({ nx: 4, ny: 2, data: u16(0, 1, 2, 3, 4, 5, 6, 7), items: [attr('K', 'v')] });
  it('truncated header', async () => {
    await fails('t.im7', good.subarray(0, 100), /too short for a DaVis header/, 100);
  });
  it('unknown pack type', async () => {
    await fails('p.im7', patch(good, 2, i16(7)), /pack_type 7 is not supported/, 2);
  });
  it('IMX pack type on float data', async () => {
    await fails('p.im7', patch(good, 0, concat([i16(0), i16(1), i16(-3)])), /only defined for 16-bit word images/, 2);
  });
  it('undocumented buffer format and sparse buffers', async () => {
    await fails('f.im7', patch(good, 4, i16(-10)), /buffer_format -10 \(RGB_MATRIX\) cannot be decoded/, 4);
    await fails('s.im7', patch(good, 6, i16(1)), /sparse/, 6);
  });
  it('implausible sizes in the header', async () => {
    await fails('n.im7', patch(good, 8, i32(0x7fffffff)), /implausibly large|sizeX/, 8);
    await fails('n.im7', patch(good, 12, i32(-3)), /sizeY = -3/, 12);
  });
  it('uncompressed data running past the end', async () => {
    await fails(
      'd.im7',
      good.subarray(0, 256 + 10),
      /^the file ends at byte 266 but the uncompressed data of 4x2x1 × 1 frame\(s\) needs 16 bytes from byte 256 \(to byte 272\): the file is truncated/,
      256,
    );
  });
  it('zlib length past the end and a corrupt zlib stream', async () => {
    const z = im7({ nx: 2, ny: 1, pack: 2, data: concat([i32(1000), Uint8Array.from([0x78, 0x9c, 1, 2, 3])]) });
    await fails(
      'z.im7',
      z,
      /the file ends at byte \d+ but the zlib data \(pack_type 2\) of 1 frame\(s\) needs 1,000 bytes from byte 260 \(to byte 1,260\)/,
      260,
    );
    const bad = im7({ nx: 2, ny: 1, pack: 2, data: concat([i32(6), Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0xff, 0xff])]) });
    await fails('z.im7', bad, /zlib/, (o) => o >= 260);
  });
  it('truncated IMX stream', async () => {
    const imx = im7({ nx: 4, ny: 2, pack: 1, data: Uint8Array.from([1, 1, 0, 5, 1, 1]), end: false });
    await fails('i.im7', imx, /IMX/, (o) => o >= 256);
  });
  it('corrupt LZ4 block', async () => {
    const blk = Uint8Array.from([0x14, 65, 9, 0]); // 1 literal, match offset 9 > output
    const lz = im7({ nx: 4, ny: 2, pack: 20, data: concat([new Uint8Array(new BigUint64Array([4n]).buffer), blk]) });
    await fails('l.im7', lz, /LZ4 match offset 9/, 256 + 8 + 2);
  });
  it('garbage attribute sections', async () => {
    const attrAt = 256 + 16;
    await fails('a.im7', patch(good, attrAt, i32(99)), /attribute item type 99 is invalid/, attrAt);
    await fails(
      'a.im7',
      patch(good, attrAt + 4, i32(5000)),
      /the file ends at byte 291 but attribute item 1 \(type 6\) needs 5,008 bytes from byte 272/,
      attrAt,
    );
    await fails('a.im7', patch(good, attrAt + 4, i32(-1)), /attribute item 1 \(type 6\) declares a size of -1 bytes/, attrAt);
    await fails('a.im7', good.subarray(0, attrAt + 4), /the file ends at byte 276 but attribute item 1's header needs 8 bytes from byte 272/, attrAt);
    const arr = im7({ nx: 1, ny: 1, data: u16(1), items: [[9, text('NoNulName')]] });
    await fails('a.im7', arr, /no NUL-terminated name/, 256 + 2);
    const plane = im7({ nx: 1, ny: 1, data: u16(1), items: [[14, concat([text('P\0\0\0'), i32(1000, 1000), f32(1)])]] });
    await fails('a.im7', plane, /1000x1000 elements do not fit/, (o) => o > 256);
  });
  it('tail offsets outside the file, bad masks and typed scalars', async () => {
    const withMask = im7({ nx: 2, ny: 1, data: u16(1, 2), sections: { 2: Uint8Array.from([1, 1]) } });
    const tailAt = withMask.length - 256;
    await fails(
      't.vc7',
      patch(withMask, tailAt + 16, new Uint8Array(new BigUint64Array([10n ** 9n]).buffer)),
      /the offset tail in its last 256 bytes puts the mask at byte 1,000,000,000/,
      tailAt + 16,
    );
    const short = im7({ nx: 2, ny: 1, data: u16(1, 2), sections: { 2: Uint8Array.from([1]) } });
    await fails('m.vc7', short, /the mask \(2 bytes, one per vector\) needs 2 bytes from byte \d+ .* but its region ends at byte/, (o) => o > 256);
    const packed = im7({ nx: 2, ny: 1, data: u16(1, 2), sections: { 5: concat([i32(3, 4), i32(0)]) } });
    await fails('m.vc7', packed, /packed mask uses packType 3/, (o) => o > 256);
    const ts = im7({ nx: 2, ny: 1, data: u16(1, 2), sections: { 3: i32(1_000_000) } });
    await fails('s.vc7', ts, /typed-scalar count 1000000 is implausible/, (o) => o > 256);
    const tsType = im7({ nx: 2, ny: 1, data: u16(1, 2), sections: { 3: concat([i32(1, 2, 1, 1, 1, 1, 77), i32(0)]) } });
    await fails('s.vc7', tsType, /element type 77 is unknown/, (o) => o > 256);
  });
  it('open(): garbage buffer file and a set without its folder', async () => {
    await expect(open({ name: 'x', files: [bytesSourceFile('x.vc7', new Uint8Array(400).fill(0x41))] })).rejects.toMatchObject({
      name: 'FormatError',
      path: 'x.vc7',
      offset: 0,
    });
    const set = text('// set file <s.set> created by DaVis\n#GROUP Sets\nSetType = 512;\n');
    await expect(open({ name: 'x', files: [bytesSourceFile('s.set', set)] })).rejects.toMatchObject({ name: 'FormatError', path: 's.set' });
  });
});

describeFixtures('DaVis reader errors (truncated and corrupted fixtures)', () => {
  const real = (rel: string) => new Uint8Array(readFileSync(fixture('davis', rel)));
  it('1camera.im7 cut inside the IMX stream', async () => {
    const b = real('readim/ReadIM/sample_files/1camera.im7');
    await fails('1camera.im7', b.subarray(0, 800000), /IMX/, (o) => o >= 256 && o <= 800000);
  });
  it('2C.VC7 with a zlib length past the end, and with a damaged stream', async () => {
    const b = real('readim/ReadIM/sample_files/2C.VC7');
    await fails(
      '2C.VC7',
      patch(b, 256, i32(10_000_000)),
      /the file ends at byte 68,993 but the zlib data \(pack_type 2\) of 1 frame\(s\) needs 10,000,000 bytes from byte 260/,
      260,
    );
    const dam = b.slice();
    for (let i = 300; i < 400; i++) dam[i] = 0xff;
    await fails('2C.VC7', dam, /zlib/, (o) => o >= 260);
  });
  it('urban_canopy B00001 truncated: the tail is gone and the data runs past the end', async () => {
    const b = real('pivpy/pivpy/data/urban_canopy/B00001.vc7');
    await fails(
      'B00001.vc7',
      b.subarray(0, 500000),
      /^the file ends at byte 500,000 but the uncompressed data of 160x135x1 × 1 frame\(s\) needs 864,000 bytes from byte 256 \(to byte 864,256\)/,
      256,
    );
  });
  it('urban_canopy B00001 cut after its data: the missing tail (not a garbage offset) is named', async () => {
    const b = real('pivpy/pivpy/data/urban_canopy/B00001.vc7');
    // cut inside the typed scalars: the "tail" is then zeros (it opened silently without mask before)
    await fails(
      'B00001.vc7',
      b.subarray(0, 1404027),
      /the file ends at byte 1,404,027; its last 256 bytes should be the offset tail .* but are all zero: the file is truncated/,
    );
    // cut elsewhere: the last 256 bytes are data, read as absurd offsets
    await fails(
      'B00001.vc7',
      b.subarray(0, 877517),
      /the file ends at byte 877,517, but the offset tail in its last 256 bytes puts the attribute section at an offset beyond 2\^53 .*: the file is truncated/,
    );
  });
  it('truncated fixtures: every cut says where the file ends, never "Infinity" or a bare offset list', async () => {
    for (const rel of [
      'readim/ReadIM/sample_files/2C.VC7',
      'neuromech/analyzepiv/readimx_v2.0_win64/TestImages/Volume.im7',
      'neuromech/analyzepiv/readimx_v2.0_win64/TestImages/3D-PIV-SinglePlane.vc7',
      'neuromech/analyzepiv/readimx_v2.0_win64/TestImages/2D-PIV-Simple.vec',
    ]) {
      const b = real(rel);
      for (const frac of [0.002, 0.05, 0.4, 0.9, 0.999]) {
        const cut = Math.floor(b.length * frac);
        const fe = await fails(rel, b.subarray(0, cut), /./);
        expect(fe.reason, `${rel} cut at ${cut}`).toMatch(/file ends at byte|ends at byte|truncated/);
        expect(fe.reason).not.toMatch(/Infinity|NaN|offset\[\d+\]/);
        expect(fe.reason).toContain(cut.toLocaleString('en-US'));
      }
    }
  });
  it('1camera.im7 cut inside the IMX stream says how many words are missing and where the file ends', async () => {
    const b = real('readim/ReadIM/sample_files/1camera.im7');
    await fails('1camera.im7', b.subarray(0, 170587), /IMX stream ended after 279,074 of 2,818,048 words — the file ends at byte 170,587 \(truncated\?\)/);
  });
  it('PIVMAT jet B00001 with a garbage attribute section', async () => {
    const b = real('pivpy/pivpy/data/PIVMAT_jet/B00001.VC7');
    const at = 256 + 128 * 128 * 10 * 4;
    await fails('B00001.VC7', patch(b, at, i32(-5, 12)), /attribute item type -5 is invalid/, at);
  });
  it('3D-PIV-SinglePlane with a damaged packed mask', async () => {
    const b = real('neuromech/analyzepiv/readimx_v2.0_win64/TestImages/3D-PIV-SinglePlane.vc7');
    await fails('sp.vc7', patch(b, 218135 + 8, Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0xff])), /packed mask/, (o) => o >= 218143);
  });
});
