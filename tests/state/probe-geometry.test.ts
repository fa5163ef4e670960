/** Probe geometry in the view state / URL hash (state/probe-geometry.ts) and the probe files (state/probe-files.ts). */
import { describe, expect, it } from 'vitest';
import { lineProfile } from '../../src/analysis/index';
import type { FieldData } from '../../src/core/types';
import { probeCsv, probeJson } from '../../src/state/probe-files';
import { decodeProbe, encodeProbe, type ProbeGeom } from '../../src/state/probe-geometry';
import { DEFAULT_VIEW, fromHash, toHash } from '../../src/state/view';

describe('probe geometry', () => {
  const cases: ProbeGeom[] = [
    {
      kind: 'line',
      points: [
        { x: 1.5, y: -2 },
        { x: 30.25, y: 4 },
        { x: 7, y: 1e-3 },
      ],
    },
    { kind: 'point', point: { x: 12.5, y: 3 } },
    { kind: 'roi', region: { type: 'rectangle', x0: 1, y0: 2, x1: 3, y1: 4 } },
    { kind: 'roi', region: { type: 'ellipse', cx: 1, cy: 2, rx: 3, ry: 0.5 } },
    {
      kind: 'roi',
      region: {
        type: 'polygon',
        points: [
          { x: 0, y: 0 },
          { x: 1, y: 0 },
          { x: 0.5, y: 2 },
        ],
      },
    },
  ];
  for (const g of cases)
    it(`round-trips a ${g.kind} through the URL hash`, () => {
      const text = encodeProbe(g);
      const hash = toHash({ ...DEFAULT_VIEW, probe: text });
      expect(fromHash(`#${hash}`).probe).toBe(text);
      expect(decodeProbe(text)).toEqual(g);
    });
  it('rounds to 7 significant digits and refuses malformed text', () => {
    expect(decodeProbe(encodeProbe({ kind: 'point', point: { x: Math.PI, y: 1 / 3 } }))).toEqual({ kind: 'point', point: { x: 3.141593, y: 0.3333333 } });
    for (const bad of ['', 'line:1,2', 'rect:1,2,3', 'ellipse:0,0,-1,1', 'poly:0,0;1,1', 'circle:1,2,3', 'line:1,a;2,3']) expect(decodeProbe(bad)).toBeNull();
  });
});

describe('probe files', () => {
  const f: FieldData = {
    kind: 'scalar',
    shape: [3, 4],
    values: Float32Array.from({ length: 12 }, (_, i) => i),
    mask: Uint8Array.from({ length: 12 }, (_, i) => (i === 6 ? 1 : 0)),
    scales: {
      x: { slope: 2, offset: 0, unit: 'mm', description: 'x' },
      y: { slope: 1, offset: 0, unit: 'mm', description: 'y' },
      i: { slope: 1, offset: 0, unit: 'K', description: 'T' },
    },
  };
  const g: ProbeGeom = {
    kind: 'line',
    points: [
      { x: 0, y: 1 },
      { x: 6, y: 1 },
    ],
  };
  const profile = lineProfile(f, g.points);
  it('one dataset: the profile CSV of csv.ts, units in the header, gaps empty', () => {
    const csv = probeCsv([{ datasetId: 'a', label: 'A', field: 'T', index: 0, profile }], g)!;
    expect(csv.split('\n')[0]).toBe('distance [mm],x [mm],y [mm],value [K]');
    expect(csv.split('\n')[1]).toBe('0,0,1,4');
    expect(csv).toMatch(/\n2,2,1,5\n3,3,1,\n4,4,1,\n/); // samples touching the masked cell are gaps
  });
  it('compare panels: columns side by side, prefixed with the dataset label; JSON names the dataset', () => {
    const rs = [
      { datasetId: 'a', label: 'A', field: 'T', index: 0, profile },
      { datasetId: 'b', label: 'B', field: 'T', index: 2, profile },
    ];
    expect(probeCsv(rs, g)!.split('\n')[0]).toBe('A: distance [mm],A: x [mm],A: y [mm],A: value [K],B: distance [mm],B: x [mm],B: y [mm],B: value [K]');
    const j = JSON.parse(probeJson(rs, g)!);
    expect(j.map((x: { dataset: string }) => x.dataset)).toEqual(['A', 'B']);
    expect(j[1].frameIndex).toBe(2);
  });
});
