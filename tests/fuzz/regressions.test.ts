/**
 * One regression test per fuzz finding of issue 13, each built from a generated reproducer (the
 * hostile bytes are made here; no shared fixture is copied). Timings are generous bounds that the
 * old code missed by orders of magnitude (it hung for > 120 s or took GBs).
 */
import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inflateZlib } from '../../src/codecs/davis-zlib';
import { encodeNpy } from '../../src/codecs/npy';
import { openNpz } from '../../src/codecs/npz';
import { crc32 } from '../../src/codecs/crc32';
import { decodePng } from '../../src/codecs/png';
import { CodecError, FormatError } from '../../src/core/errors';
import type { FrameSource, SourceTree } from '../../src/core/types';
import { decodeDavisBuffer } from '../../src/formats/davis/read-buffer';
import { open as openDavis } from '../../src/formats/davis/open';
import { formats, openDataset } from '../../src/formats/index';
import { open as openImgstore } from '../../src/formats/imgstore/open';
import { parseStoreMetadata } from '../../src/formats/imgstore/metadata';
import { bytesSourceFile } from '../../src/io/slice-file';
import { exportDataset } from '../../src/export/index';
import { concat, i32, im7 } from '../davis/synth';
import { deflateBomb, zlibBomb } from './bomb';
import { rawZip } from './zip';

const enc = new TextEncoder();
const tree = (name: string, files: [string, Uint8Array | string][]): SourceTree => ({
  name,
  files: files.map(([p, b]) => bytesSourceFile(p, typeof b === 'string' ? enc.encode(b) : b)),
});
const timed = async <T>(f: () => Promise<T>): Promise<[T | unknown, number]> => {
  const t0 = performance.now();
  try {
    return [await f(), performance.now() - t0];
  } catch (e) {
    return [e, performance.now() - t0];
  }
};

describe('deflate bombs stop at the declared size, fast and within memory', () => {
  const bomb = deflateBomb(4.3e9); // 4.3 GB of zeros in ~4.2 MB
  it('the generated bomb is what the finding describes', () => {
    expect(bomb.length).toBeGreaterThan(4.1e6);
    expect(bomb.length).toBeLessThan(4.3e6);
  });

  it('an npz member declared at 128 bytes: FormatError naming the member, in well under a second', async () => {
    const npz = rawZip([{ name: 'data.npy', method: 8, data: bomb, size: 128 }]);
    const before = process.memoryUsage().arrayBuffers;
    const [err, ms] = await timed(async () => (await openNpz(bytesSourceFile('bomb.npz', npz))).read('data'));
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).path).toBe('bomb.npz');
    expect((err as FormatError).reason).toMatch(/data\.npy: inflates past the 128 bytes its header declares/);
    expect(ms).toBeLessThan(3000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(200 << 20);
  });

  it('an npz member declared at 64 MiB: stops right after 64 MiB (the old path kept going)', async () => {
    const npz = rawZip([{ name: 'data.npy', method: 8, data: bomb, size: 64 << 20 }]);
    const [err, ms] = await timed(async () => (await openNpz(bytesSourceFile('bomb.npz', npz))).readBytes('data'));
    expect((err as FormatError).reason).toMatch(/inflates past the 67,108,864 bytes/);
    expect(ms).toBeLessThan(15000);
  });

  it('a declared size deflate cannot reach is refused before inflating', async () => {
    const small = deflateSync(new Uint8Array(1000));
    const npz = rawZip([{ name: 'x.npy', method: 8, data: small, size: 1 << 29 }]);
    const [err, ms] = await timed(async () => (await openNpz(bytesSourceFile('r.npz', npz))).readBytes('x'));
    expect((err as FormatError).reason).toMatch(/declares 536,870,912 bytes from \d+ compressed bytes, a ratio deflate cannot reach/);
    expect(ms).toBeLessThan(500);
  });

  it('a zlib-packed DaVis buffer (pack type 2) declaring a 4x2 image', async () => {
    const z = zlibBomb(4.3e9);
    const buf = im7({ nx: 4, ny: 2, pack: 2, data: concat([i32(z.length), z]) });
    const [err, ms] = await timed(() => decodeDavisBuffer('bomb.im7', buf));
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).reason).toMatch(/zlib data.*inflates to more than the allowed/);
    expect(ms).toBeLessThan(3000);
    // the codec alone: the limit is the caller's
    await expect(inflateZlib(z, 1 << 20, 16)).rejects.toBeInstanceOf(CodecError);
  });

  it('a PNG whose IDAT inflates far past its rows', async () => {
    const png = pngWithIdat(4, 4, zlibBomb(1 << 30));
    const t0 = performance.now();
    expect(() => decodePng(png, 'bomb.png')).toThrow(/IDAT image data.*inflates/);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('an imgstore index.npz bomb: the chunk is skipped with a warning, the other chunk opens', async () => {
    const store = dirStore();
    const bombIdx = rawZip([
      { name: 'frame_number.npy', method: 8, data: bomb, size: 200 },
      { name: 'frame_time.npy', method: 8, data: bomb, size: 200 },
    ]);
    const files = store.filter(([p]) => p !== '000001/index.npz');
    const t0 = performance.now();
    const src = await openImgstore(tree('s', [...files, ['000001/index.npz', bombIdx]]));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(src.frames.length).toBe(2);
    expect(src.warnings.join('\n')).toMatch(/chunk 000001\/: index unreadable, chunk skipped: .*000001\/index\.npz.*inflates past/);
  });
});

describe('npz members with the same name', () => {
  it('are refused, naming both entries (the later one no longer wins silently)', async () => {
    const a = encodeNpy({ data: Float64Array.of(1), shape: [1] });
    const b = encodeNpy({ data: Float64Array.of(2), shape: [1] });
    const npz = rawZip([
      { name: 'v.npy', method: 0, data: a, size: a.length, crc: crc32(a) },
      { name: 'v.npy', method: 0, data: b, size: b.length, crc: crc32(b) },
    ]);
    await expect(openNpz(bytesSourceFile('dup.npz', npz))).rejects.toThrow(/two members named 'v\.npy' \(entries 1 and 2/);
    const c = rawZip([
      { name: 'v', method: 0, data: a, size: a.length, crc: crc32(a) },
      { name: 'v.npy', method: 0, data: b, size: b.length, crc: crc32(b) },
    ]);
    await expect(openNpz(bytesSourceFile('dup.npz', c))).rejects.toThrow(/two members named 'v' and 'v\.npy'/);
  });
});

describe('DaVis 10 StreamSet.xml scan is linear', () => {
  const recording = (manifest: string): SourceTree => {
    const head = new Uint8Array(1024 + 20);
    const dv = new DataView(head.buffer);
    dv.setInt32(12, 2, true);
    dv.setInt32(16, 1, true);
    dv.setBigInt64(1024 + 12, 4n, true);
    return tree('r', [
      ['r.set', '// set file <r.set> created by DaVis\n#GROUP Sets\nSetType = 4352;\nSetIdentifier = "StreamSet";\n'],
      ['r/StreamSet.xml', manifest],
      ['r/Frame0-0.ims', head],
      ['r/Frame0-1.ims', Uint8Array.of(1, 0, 2, 0)],
    ]);
  };
  it('180,000 unclosed <ReaderInfo> tags (4 MB): answered in well under a second, the streams found by file name', async () => {
    const xml = '<StreamSet>' + '<ReaderInfo Type="DaVis.Other" FilePrefix="x"'.repeat(1) + '<ReaderInfo '.repeat(180_000);
    expect(xml.length).toBeGreaterThan(2e6);
    const t0 = performance.now();
    const src = await openDavis(recording(xml));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(src.frames.length).toBe(1);
    expect(Array.from((await src.readFrame(0)).fields.frame0.values!)).toEqual([1, 2]);
  });
  it('40,000 readers left open each: still linear, and the count limit answers in words', async () => {
    const xml = '<StreamSet>' + '<ReaderInfo Type="DaVis.FrameReader" FilePrefix="Frame0"><ContentPurpose StartFrame="0"/>'.repeat(40_000);
    const t0 = performance.now();
    await expect(openDavis(recording(xml))).rejects.toThrow(/StreamSet\.xml lists more than 4096 <ReaderInfo> readers/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('an unclosed reader followed by a closed one: both read (the regex swallowed the second)', async () => {
    const xml =
      '<StreamSet><ReaderInfo Type="DaVis.FrameReader" FilePrefix="Frame0"><ContentPurpose StartFrame="0"/>' +
      '<ReaderInfo Type="DaVis.ScaleReader" FilePrefix="S"></ReaderInfo></StreamSet>';
    const src = await openDavis(recording(xml));
    expect(src.frames.length).toBe(1);
  });
  it('a .set line of 2 MB of blanks before a stray character parses at once', async () => {
    const set = '// set file <r.set> created by DaVis\n#GROUP Sets\nSetType = 256;\nKey = 1' + ' '.repeat(2_000_000) + 'x;\n';
    const t0 = performance.now();
    await openDavis(
      tree('r', [
        ['r.set', set],
        ['r/B00001.im7', im7({ nx: 2, ny: 1, data: Uint8Array.of(1, 0, 2, 0) })],
      ]),
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

/** A two-chunk DirectoryImgStore of 2x2 npy frames, chunk 1 replaceable. */
function dirStore(yaml?: string): [string, Uint8Array | string][] {
  const frame = (v: number) => encodeNpy({ data: Uint8Array.of(v, v, v, v), shape: [2, 2] });
  const idx = (n0: number) =>
    zipSync({
      'frame_number.npy': encodeNpy({ data: Float64Array.of(n0, n0 + 1), shape: [2] }),
      'frame_time.npy': encodeNpy({ data: Float64Array.of(n0, n0 + 1), shape: [2] }),
    });
  return [
    [
      'metadata.yaml',
      yaml ?? '__store: {chunksize: 2, class: DirectoryImgStore, encoding: null, format: npy, imgdtype: uint8, imgshape: [2, 2], version: 2}\n',
    ],
    ['000000/index.npz', idx(0)],
    ['000000/000000.npy', frame(1)],
    ['000000/000001.npy', frame(2)],
    ['000001/index.npz', idx(2)],
    ['000001/000000.npy', frame(3)],
    ['000001/000001.npy', frame(4)],
  ];
}

describe('values of the wrong type in metadata and extra data are FormatErrors (never a TypeError)', () => {
  const store = (s: string) => `__store: {${s}}\n`;
  const base = 'chunksize: 2, encoding: null, format: npy, imgdtype: uint8, imgshape: [2, 2], version: 2';
  it.each([
    ['class: {toString: 1}, ' + base, /__store\.class must be text, not a mapping/],
    [
      'class: DirectoryImgStore, chunksize: {valueOf: 1, toString: 1}, encoding: null, format: npy, imgshape: [2, 2], version: 2',
      /__store\.chunksize must be a number, not a mapping/,
    ],
    ['class: DirectoryImgStore, chunksize: 2, format: npy, imgshape: [{toString: 1}, 2], version: 2', /__store\.imgshape\[0\] must be a number, not a mapping/],
  ])('%s', (s, why) => {
    expect(() => parseStoreMetadata(store(s), 'metadata.yaml')).toThrow(FormatError);
    expect(() => parseStoreMetadata(store(s), 'metadata.yaml')).toThrow(why);
  });

  it('user metadata nested 2,000 levels deep or referring to itself crosses the worker boundary (kept to 64 levels)', async () => {
    const yaml = store('class: DirectoryImgStore, ' + base) + 'deep: ' + '['.repeat(2000) + ']'.repeat(2000) + '\ncycle: &a {self: *a}\n';
    const src = await openImgstore(tree('s', dirStore(yaml)));
    const cloned = structuredClone(src.metadata) as { user: { cycle: { self: unknown } } };
    expect(cloned.user.cycle.self).toBe('[circular reference]');
    expect(JSON.stringify(src.metadata).length).toBeLessThan(100_000);
  });

  it('extra-data records with mappings for numbers: the store opens, the series skip them', async () => {
    const extra = JSON.stringify([
      { frame_number: 0, frame_time: { toString: 1 }, temp: 1 },
      { frame_number: { valueOf: 1 }, frame_time: 1, temp: 2 },
      { frame_number: 1, frame_time: 2, temp: 3 },
    ]);
    const src = await openImgstore(tree('s', [...dirStore(), ['000000/index.extra.json', extra]]));
    const temp = src.series!.find((s) => s.name === 'extra data: temp')!;
    expect(temp.x).toEqual([1, 2]);
    expect(temp.y[0]).toEqual([2, 3]);
    structuredClone(src.metadata);
  });

  it('extra-data JSON nested 100,000 levels: the store opens with a warning naming the file', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const src = await openImgstore(tree('s', [...dirStore(), ['000000/index.extra.json', deep]]));
    expect(src.warnings.join('\n')).toMatch(/000000\/index\.extra\.json.*nested deeper than 256 levels/);
    structuredClone(src.metadata);
  });

  it('a YAML chunk index whose entries are mappings', async () => {
    const files = dirStore().filter(([p]) => p !== '000001/index.npz');
    const src = await openImgstore(tree('s', [...files, ['000001/index.yaml', 'frame_number: [{toString: 1}, 3]\nframe_time: [2, 3]\n']]));
    expect(src.warnings.join('\n')).toMatch(/000001\/index\.yaml.*frame_number\[0\] must be a number, not a mapping/);
  });
});

describe('public entry points throw only Errors with words', () => {
  const fake = (open: () => Promise<FrameSource>) => ({
    id: 'fake-test',
    label: 'fake',
    video: false,
    sniff: async (t: SourceTree) => (t.name === 'fake-test' ? 1 : 0),
    load: async () => ({ open }),
  });
  it('a reader that throws a string or an object: openDataset rejects with an Error carrying its words', async () => {
    formats.push(fake(() => Promise.reject('[object Object]')));
    formats.push(fake(() => Promise.reject({ message: 'ffmpeg exited with code 1' })));
    try {
      const e1 = await openDataset({ name: 'fake-test', files: [bytesSourceFile('a', new Uint8Array(1))] }).catch((e) => e);
      expect(e1).toBeInstanceOf(Error);
      expect((e1 as Error).message).toBe('[object Object]');
    } finally {
      formats.splice(formats.length - 2, 2);
    }
  });
  it("readFrame's and exportDataset's non-Error rejections become Errors", async () => {
    const src: FrameSource = {
      format: 'fake',
      name: 'f',
      frames: [{ index: 0, number: 0, time: null }],
      fields: [{ name: 'a', kind: 'scalar', shape: [1, 1], unit: '' }],
      metadata: {},
      timeUnit: null,
      readFrame: () => Promise.reject({ code: 7 }),
      nearestIndex: () => 0,
      close() {},
    };
    formats.push(fake(async () => src));
    try {
      const s = await openDataset({ name: 'fake-test', files: [bytesSourceFile('a', new Uint8Array(1))] });
      const e = await s.readFrame(0).catch((x) => x);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toBe('{"code":7}');
      const x = await exportDataset(s, { target: 'npz' }).catch((y) => y);
      expect(x).toBeInstanceOf(Error);
      expect((x as Error).message).toMatch(/\S/);
    } finally {
      formats.pop();
    }
  });
});

function pngWithIdat(w: number, h: number, z: Uint8Array): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    out.set(enc.encode(type), 4);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, w);
  dv.setUint32(4, h);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return concat([Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', ihdr), chunk('IDAT', z), chunk('IEND', new Uint8Array(0))]);
}

describe('py-pde movie metadata: hostile comment JSON is a MetadataError in words (never a TypeError or a stack overflow)', () => {
  // the reproducers the fuzzer's type confusion and deep nesting write into a movie's comment tag
  const quote = (json: string) => `'${json.replace(/'/g, `'"'"'`)}'`;
  const grid = (cls: unknown) =>
    JSON.stringify({
      class: cls,
      shape: [4, 2],
      bounds: [
        [0, 1],
        [0, 1],
      ],
      periodic: [false, false],
    });
  it('a grid class that is a mapping whose toString is not callable', async () => {
    const { gridGeometry } = await import('../../src/formats/pypde/grid');
    const { MetadataError } = await import('../../src/formats/pypde/metadata');
    const evil = JSON.parse('{"class": {"toString": 1, "valueOf": 1}, "shape": {"toString": 1}}');
    expect(() => gridGeometry(evil)).toThrow(MetadataError);
    expect(() => gridGeometry(evil)).toThrow(/grid state has no class name \(\(a mapping\)\)/);
    const noShape = JSON.parse('{"class": "CartesianGrid", "shape": {"toString": 1}}');
    expect(() => gridGeometry(noShape)).toThrow(/grid CartesianGrid has no shape/);
    const odd = JSON.parse('{"class": "PolarSymGrid", "shape": [2, 3], "radius": 1}');
    expect(() => gridGeometry(odd)).toThrow(/PolarSymGrid must have one axis/);
  });
  it('field_attributes whose grid class is a mapping (through the comment parser)', async () => {
    const { decodeFieldAttributes, parseComment, MetadataError } = await import('../../src/formats/pypde/metadata');
    const meta = parseComment(
      quote(JSON.stringify({ field_attributes: { class: '"ScalarField"', grid: JSON.stringify({ class: { toString: 1 }, shape: [2] }) }, vmin: 0, vmax: 1 })),
    );
    expect(() => decodeFieldAttributes(meta.field_attributes)).toThrow(MetadataError);
  });
  it('a comment JSON nested 100,000 levels', async () => {
    const { parseComment, MetadataError } = await import('../../src/formats/pypde/metadata');
    const deep = `{"field_attributes": {}, "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const [err, ms] = await timed(async () => parseComment(quote(deep)));
    expect(err).toBeInstanceOf(MetadataError);
    expect((err as Error).message).toBe('comment tag: JSON nests deeper than 100 levels (at character 129)');
    expect(ms).toBeLessThan(2000);
  });
  it('a field_attributes member (a JSON text inside the JSON) nested 100,000 levels', async () => {
    const { decodeFieldAttributes } = await import('../../src/formats/pypde/metadata');
    const deepGrid = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => decodeFieldAttributes({ class: '"ScalarField"', grid: deepGrid })).toThrow(
      /field_attributes\.field_attributes\.grid: JSON nests deeper than 100 levels/,
    );
  });
  it('an ordinary comment still parses (NaN tokens, nested JSON texts)', async () => {
    const { decodeFieldAttributes, parseComment } = await import('../../src/formats/pypde/metadata');
    const { gridGeometry } = await import('../../src/formats/pypde/grid');
    const meta = parseComment(
      quote(`{"field_attributes": {"class": "\\"ScalarField\\"", "grid": ${JSON.stringify(grid('CartesianGrid'))}}, "vmin": NaN, "vmax": 1}`),
    );
    expect(Number.isNaN(meta.vmin)).toBe(true);
    const desc = decodeFieldAttributes(meta.field_attributes);
    expect(gridGeometry(desc.fields[0].grid).axes.map((a) => a.n)).toEqual([4, 2]);
  });
});

describe('PIV text headers are scanned in linear time (the fuzzer found four quadratic regular expressions)', () => {
  const pivlab = (frame: number, extra = { at: 0, text: '' }) => {
    const t =
      [
        'PIVlab by W.Th. & E.J.S., ASCII chart output - 01-Dec-2026',
        `FRAME: ${frame}, filenames: A_${frame}.tif & B_${frame}.tif, conversion factor xy (px -> m): 0.0001, conversion factor uv (px/frame -> m/s): 0.05`,
        'x [m],y [m],u [m/s],v [m/s],Vector type [-]',
        '0.0016,0.0016,1,0,1',
        '0.0032,0.0016,2,0,1',
      ].join('\n') + '\n';
    return extra.text ? t.slice(0, extra.at) + extra.text + t.slice(extra.at) : t;
  };
  const tecplot = 'TITLE = "t"\nVARIABLES = "X [mm]", "Y [mm]", "U [m/s]", "V [m/s]"\nZONE I=2, J=1, F=POINT\n0 0 1 2\n1 0 3 4\n';
  const cases: [string, string, string][] = [
    // the generated reproducer of the hang: FRAME line damaged (no longer a FRAME line) and 200,000 blanks in it
    ['PIVlab_0002.txt', pivlab(2, { at: 60, text: '\u00ff'.repeat(8) + ' '.repeat(200_000) }), 'label scan'],
    ['PIVlab_0002.txt', pivlab(2, { at: pivlab(2).indexOf('x [m]') + 1, text: 'a'.repeat(200_000) }), 'label of 200,000 letters'],
    ['PIVlab_0002.txt', pivlab(2, { at: pivlab(2).indexOf('u [m/s]'), text: ' '.repeat(200_000) + 'q' }), 'unit scan'],
    ['flow.dat', tecplot.replace('VARIABLES = ', `VARIABLES = ${'\t'.repeat(200_000)}`), 'VARIABLES with 200,000 tabs'],
    ['flow.dat', tecplot.replace('0 0 1 2\n', `${'\n'.repeat(200_000)}0 0 1 2\n`), '200,000 blank lines in the body'],
  ];
  it.each(cases)('%s (%s): answered within 2 s', async (path, text, _what) => {
    const [r, ms] = await timed(async () => {
      const src = await openDataset(tree('p', [[path, text]]));
      for (let i = 0; i < src.frames.length; i++) await src.readFrame(i);
      return src;
    });
    if (r instanceof Error) expect(r).toBeInstanceOf(FormatError);
    expect(ms).toBeLessThan(2000);
  });
  it('labels and units still parse as before', async () => {
    const { labelsOf } = await import('../../src/formats/pivtext/pivlab');
    const { nameAndUnit } = await import('../../src/formats/pivtext/table');
    expect(labelsOf('x [m],y [m]\tu [m/s], Vector type [-] ,vorticity [1/s]')).toEqual([
      { name: 'x', unit: 'm' },
      { name: 'y', unit: 'm' },
      { name: 'u', unit: 'm/s' },
      { name: 'Vector type', unit: '-' },
      { name: 'vorticity', unit: '1/s' },
    ]);
    expect(labelsOf('1 [x], [y] z [w')).toEqual([]);
    // the same answers as the regular expressions they replace, on short random strings
    const LABEL = /([A-Za-z][^,\t[\]]*?)\s*\[([^\]]*)\]/g;
    const NAME_UNIT = /^(.*?)\s*[[(]([^\])]*)[\])]\s*$/;
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) >>> 0) >>> 16;
    for (let k = 0; k < 3000; k++) {
      const str = Array.from({ length: next() % 14 }, () => 'ab [](),\t-'[next() % 11]).join('');
      expect(labelsOf(str), str).toEqual([...str.matchAll(LABEL)].map((m) => ({ name: m[1], unit: m[2] })));
      const t = str.trim();
      const br = NAME_UNIT.exec(t);
      if (br && !t.startsWith('"')) expect(nameAndUnit(str), str).toMatchObject({ name: br[1].trim(), unit: br[2].trim() === '-' ? '' : br[2].trim() });
    }
    expect(nameAndUnit('"X [mm]"')).toEqual({ name: 'X', unit: 'mm' });
    expect(nameAndUnit('u (px/frame)')).toEqual({ name: 'u', unit: 'px/frame' });
    expect(nameAndUnit('a (b) [c]')).toEqual({ name: 'a (b)', unit: 'c' });
    expect(nameAndUnit('Vector type [-]')).toEqual({ name: 'Vector type', unit: '' });
    expect(nameAndUnit('X mm')).toEqual({ name: 'X', unit: 'mm' });
    expect(nameAndUnit('X')).toEqual({ name: 'X', unit: '' });
  });
});
