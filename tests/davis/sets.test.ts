import { describe, expect, it } from 'vitest';
import { describeFixtures, treeOf } from '../fixtures';
import { open } from '../../src/formats/davis/open';
import { sniff } from '../../src/formats/davis/sniff';
import { parseSetFile } from '../../src/formats/davis/set-file';
import { PARTICLE_WARNING } from '../../src/formats/davis/particles';
import { bytesSourceFile } from '../../src/io/slice-file';
import type { SourceTree } from '../../src/formats/types';
import { concat, i32, im7, text, u16 } from './synth';

/** wrap a tree so every read is counted per file (bytes) */
function counted(tree: SourceTree) {
  const bytes = new Map<string, number>();
  return {
    bytes,
    tree: {
      name: tree.name,
      files: tree.files.map((f) => ({
        ...f,
        read: async (s?: number, e?: number) => {
          const r = await f.read(s, e);
          bytes.set(f.path, (bytes.get(f.path) ?? 0) + r.length);
          return r;
        },
      })),
    },
  };
}

describeFixtures('DaVis sets and folders', () => {
  it('urban_canopy: a folder of B0000N.vc7 without a .set opens as a 5-buffer set, read lazily', async () => {
    const { tree, bytes } = counted(await treeOf('davis', 'pivpy', 'pivpy', 'data', 'urban_canopy'));
    expect(await sniff(tree)).toBeGreaterThan(0.5);
    const src = await open(tree);
    expect(src.format).toBe('davis');
    expect(src.frames.map((f) => f.number)).toEqual([1, 2, 3, 4, 5]);
    expect(src.frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4]);
    // AcqTimeSeries gives seconds + nanoseconds: 15 Hz recording
    expect(src.frames[0].time).toBeCloseTo(0.17843984, 9);
    for (let i = 1; i < 5; i++) expect(src.frames[i].time! - src.frames[i - 1].time!).toBeCloseTo(0.066667, 5);
    expect(src.timeUnit).toBe('s');
    expect(src.nearestIndex(0.31)).toBe(2);
    // opening decoded only B00001; the others were probed for their times with small reads
    for (let i = 2; i <= 5; i++) expect(bytes.get(`B0000${i}.vc7`)!).toBeLessThan(30000);
    bytes.clear();
    const fr = await src.readFrame(3);
    expect([...bytes.keys()]).toEqual(['B00004.vc7']);
    expect(fr.info).toEqual(src.frames[3]);
    expect(fr.fields.frame0.kind).toBe('vector');
    expect(fr.fields.frame0.shape).toEqual([135, 160]);
    let valid = 0;
    for (const m of fr.fields.frame0.mask!) valid += m ? 0 : 1;
    expect(valid).toBe(16695);
    expect(src.fields.map((f) => f.name)).toContain('frame0/TS:Uncertainty Vy');
    expect((fr.attributes.frames as unknown[]).length).toBe(1);
  });
  it('PIV_Velocity_Field_with_Uncertainty.set (SetType 512) with its B00001.vc7 folder', async () => {
    const src = await open(await treeOf('davis', 'lvpyio-example-scripts', 'data'));
    expect(src.name).toBe('PIV_Velocity_Field_with_Uncertainty');
    expect(src.frames).toEqual([{ index: 0, number: 1, time: expect.any(Number) }]);
    expect(src.metadata.setType).toBe(512);
    expect(src.metadata.kind).toBe('vector set');
    expect((src.metadata.set as Record<string, unknown>).SetTime).toBe('Mon May 08 13:34:47 2023');
    expect(String((src.metadata.set as Record<string, unknown>).bpInfoString)).toContain('\n\tCorrelation mode');
    const fr = await src.readFrame(0);
    expect(Object.keys(fr.fields)).toContain('frame0/TS:Uncertainty Vx');
    // the tree holds a second set (particle field): offered as a scene
    expect(src.scenes?.map((s) => s.name)).toEqual(['PIV_Velocity_Field_with_Uncertainty.set', 'Tracks_Cylinder_Wake.set']);
  });
  it('Tracks_Cylinder_Wake (particle field, SetType 16777216): header facts and a warning, no crash', async () => {
    const tree = await treeOf('davis', 'lvpyio-example-scripts', 'data');
    const setTree = { name: 'p', files: tree.files.filter((f) => f.path.startsWith('Tracks_Cylinder_Wake')) };
    expect(await sniff(setTree)).toBeGreaterThan(0.5);
    const src = await open(setTree);
    expect(src.frames).toEqual([]);
    expect(src.warnings).toContain(PARTICLE_WARNING);
    expect(src.metadata).toMatchObject({
      kind: 'particle field',
      blockCount: 100,
      pulsesPerBlock: 1,
      mode: 'time-resolved',
      trackCount: 5681,
      attributes: { _lvpyioVersion: '1.3.0' },
      rawBounds: { min: [18, 121, -261], max: [1024, 624, 243] },
    });
    expect((src.metadata.scales as Record<string, { slope: number }>).y).toEqual({ slope: -0.067367, offset: 25, unit: 'mm', description: '' });
    // the folder alone opens the same way
    const folder = await open(await treeOf('davis', 'lvpyio-example-scripts', 'data', 'Tracks_Cylinder_Wake'));
    expect(folder.metadata.blockCount).toBe(100);
  });
  it('single buffers: number 1, fields per frame, Volume.im7 shapes', async () => {
    const src = await open(await treeOf('davis', 'neuromech', 'analyzepiv', 'readimx_v2.0_win64', 'TestImages', 'Volume.im7'));
    expect(src.frames).toEqual([{ index: 0, number: 1, time: null }]);
    expect(src.fields.map((f) => [f.name, f.shape])).toEqual([
      ['frame0', [64, 128, 128]],
      ['frame1', [64, 128, 128]],
    ]);
    const fr = await src.readFrame(0);
    expect(fr.fields.frame1.values!.length).toBe(64 * 128 * 128);
  });
});

describe('DaVis set parsing, sniffing and recordings (synthetic)', () => {
  it('parses .set text with CRLF, escapes and a 2-digit SetTime', () => {
    const s = parseSetFile(
      'a.set',
      text(
        '// set file <C:/x/a.set> created by DaVis 8.4.0 at 14.02.24\r\n\r\n#GROUP Sets\r\nSetType = 256;\r\nSetTime = "Wed Feb 14 15:15:19 24";\r\nbpInfoString = "a\\n\\tb";\r\n',
      ),
    );
    expect(s.setType).toBe(256);
    expect(s.setTypeName).toBe('image set');
    expect(s.entries.SetTime).toBe('Wed Feb 14 15:15:19 24');
    expect(s.entries.bpInfoString).toBe('a\n\tb');
  });
  it('sniff rejects non-DaVis trees and accepts a buffer by content', async () => {
    expect(await sniff({ name: 'x', files: [bytesSourceFile('a.txt', text('hello world'))] })).toBe(0);
    expect(await sniff({ name: 'x', files: [bytesSourceFile('a.vc7', new Uint8Array(300).fill(0x55))] })).toBe(0);
    const buf = im7({ nx: 2, ny: 1, data: u16(1, 2) });
    expect(await sniff({ name: 'x', files: [bytesSourceFile('b.im7', buf)] })).toBeGreaterThan(0.5);
  });
  it('image set (.set + folder of B#####.im7): numbers from file names, lazy frames', async () => {
    const set = text('// set file <s.set> created by DaVis\n\n#GROUP Sets\nSetType = 256;\n');
    const files = [bytesSourceFile('s.set', set)];
    for (const n of [1, 2, 3]) files.push(bytesSourceFile(`s/B0000${n}.im7`, im7({ nx: 2, ny: 1, data: u16(n, 10 * n) })));
    const src = await open({ name: 't', files });
    expect(src.frames.map((f) => f.number)).toEqual([1, 2, 3]);
    expect(Array.from((await src.readFrame(2)).fields.frame0.values!)).toEqual([3, 30]);
  });
  it('.ims recording set: manifest-less stream, raw-16-bit and mono-12p decoders, scales', async () => {
    const w = 4;
    const h = 2;
    const idx = (entries: [number, number][]) => {
      const head = new DataView(new ArrayBuffer(1024));
      head.setInt32(12, w, true);
      head.setInt32(16, h, true);
      const t = new DataView(new ArrayBuffer(20 * entries.length));
      entries.forEach(([o, s], i) => {
        t.setBigInt64(i * 20 + 4, BigInt(o), true);
        t.setBigInt64(i * 20 + 12, BigInt(s), true);
      });
      return concat([new Uint8Array(head.buffer), new Uint8Array(t.buffer)]);
    };
    const img0 = u16(0, 1, 2, 3, 4, 5, 6, 7);
    const img1 = u16(8, 9, 10, 11, 12, 13, 14, 15);
    // mono-12p: pairs (0x123, 0x456) -> 23 61 45
    const p12 = Uint8Array.from(Array.from({ length: 4 }, () => [0x23, 0x61, 0x45]).flat());
    const set = text('// set file <r.set> created by DaVis\n#GROUP Sets\nSetType = 4352;\nSetIdentifier = "StreamSet";\n');
    const files = [
      bytesSourceFile('r.set', set),
      bytesSourceFile(
        'r/Frame0-0.ims',
        idx([
          [0, 16],
          [16, 16],
        ]),
      ),
      bytesSourceFile('r/Frame0-1.ims', concat([img0, img1])),
      bytesSourceFile(
        'r/Frame1-0.ims',
        idx([
          [0, 12],
          [12, 12],
        ]),
      ),
      bytesSourceFile('r/Frame1-1.ims', concat([p12, p12])),
      bytesSourceFile('r/Frame1-decoder.xml', text('<decoder><id>mono-12p</id></decoder>')),
      bytesSourceFile('r/FrameScales0.scales', text('<Scales><ScaleI Factor="2" Offset="1" Unit="counts"/></Scales>')),
    ];
    const src = await open({ name: 'r', files });
    expect(src.frames.length).toBe(2);
    const fr = await src.readFrame(1);
    expect(Array.from(fr.fields.frame0.values!)).toEqual([17, 19, 21, 23, 25, 27, 29, 31]);
    expect(Array.from(fr.fields.frame1.values!)).toEqual([0x123, 0x456, 0x123, 0x456, 0x123, 0x456, 0x123, 0x456]);
  });
  it('.ims with an undecodable pixel encoding: FormatError naming it', async () => {
    const head = new DataView(new ArrayBuffer(1044));
    head.setInt32(12, 2, true);
    head.setInt32(16, 1, true);
    head.setBigInt64(1024 + 12, 4n, true);
    const files = [
      bytesSourceFile('Frame0-0.ims', new Uint8Array(head.buffer)),
      bytesSourceFile('Frame0-1.ims', i32(0)),
      bytesSourceFile('Frame0-decoder.xml', text('<d><id>mono-10pmsb</id></d>')),
    ];
    const src = await open({ name: 'r', files });
    await expect(src.readFrame(0)).rejects.toThrow(/mono-10pmsb.*cannot be decoded/);
  });
});
