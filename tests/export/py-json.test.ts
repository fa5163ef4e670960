import { describe, expect, it } from 'vitest';
import { pyFloat, pyFloatRepr, pyJson, shlexQuote } from '../../src/formats/pypde/py-json';

describe('Python text', () => {
  it('repr(float)', () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [2, '2.0'],
      [-0.25, '-0.25'],
      [0.1, '0.1'],
      [0.30000000000000004, '0.30000000000000004'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1.5e-7, '1.5e-07'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [123456789012345678, '1.2345678901234568e+17'],
      [0.14142135623730953, '0.14142135623730953'],
      [9.5, '9.5'],
      [NaN, 'nan'],
      [-Infinity, '-inf'],
    ];
    for (const [x, s] of cases) expect(pyFloatRepr(x), String(x)).toBe(s);
  });
  it('json.dumps defaults', () => {
    expect(pyJson({ a: 1, b: [pyFloat(0), pyFloat(1.5)], c: 'µ', d: null, e: true, f: pyFloat(NaN) })).toBe(
      '{"a": 1, "b": [0.0, 1.5], "c": "\\u00b5", "d": null, "e": true, "f": NaN}',
    );
    expect(pyJson('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
  });
  it('reproduces a py-pde comment byte for byte (scalar2d_8bit.avi)', () => {
    const grid = pyJson({
      bounds: [
        [pyFloat(0), pyFloat(2)],
        [pyFloat(0), pyFloat(1.5)],
      ],
      shape: [32, 24],
      periodic: [true, false],
      class: 'CartesianGrid',
    });
    const meta = {
      field_attributes: { class: pyJson('ScalarField'), grid, label: pyJson('c'), dtype: pyJson('<f8') },
      video_format: 'gray',
      version: 1,
      vmin: 0,
      vmax: 1,
      write_times: false,
    };
    expect(shlexQuote(pyJson(meta))).toBe(
      `'{"field_attributes": {"class": "\\"ScalarField\\"", "grid": "{\\"bounds\\": [[0.0, 2.0], [0.0, 1.5]], \\"shape\\": [32, 24], \\"periodic\\": [true, false], \\"class\\": \\"CartesianGrid\\"}", "label": "\\"c\\"", "dtype": "\\"<f8\\""}, "video_format": "gray", "version": 1, "vmin": 0, "vmax": 1, "write_times": false}'`,
    );
  });
  it("shlex.quote with a ' inside", () => {
    expect(shlexQuote(`{"author": "O'Brien"}`)).toBe(`'{"author": "O'"'"'Brien"}'`);
    expect(shlexQuote('plain')).toBe('plain');
    expect(shlexQuote('')).toBe("''");
  });
});
