/** Bad metadata for the pure-TS parts of the py-pde reader (the browser parts: e2e/pypde-errors.spec.ts). */
import { describe, expect, it } from 'vitest';
import { decodeFieldAttributes, fieldLimits, MetadataError, parseComment, shlexFirstWord, videoFormatKey } from '../../src/formats/pypde/metadata';
import { gridGeometry } from '../../src/formats/pypde/grid';
import { parseTimes, TimesError } from '../../src/formats/pypde/times';

describe('py-pde metadata errors', () => {
  it('unterminated quotes, empty comment, bad JSON, non-object JSON', () => {
    expect(() => shlexFirstWord(`'{"a": 1}`)).toThrow(/unterminated single quote/);
    expect(() => shlexFirstWord(`"abc`)).toThrow(/unterminated double quote/);
    expect(() => parseComment('')).toThrow(MetadataError);
    expect(() => parseComment(`'{"a": }'`)).toThrow(/not valid JSON/);
    expect(() => parseComment(`'[1, 2]'`)).toThrow(/not an object/);
    // unquoted JSON: py-pde would split it at the first blank too
    expect(() => parseComment(`{"a": 1}`)).toThrow(/not valid JSON/);
  });
  it('field_attributes: missing class, unknown class, missing grid, bad nested text, empty collection', () => {
    expect(() => decodeFieldAttributes(null)).toThrow(/not an object/);
    expect(() => decodeFieldAttributes({ grid: '{"class": "UnitGrid", "shape": [2]}' })).toThrow(/class missing/);
    expect(() => decodeFieldAttributes({ class: '"ComplexField"', grid: '{"class": "UnitGrid"}' })).toThrow(/unsupported field class/);
    expect(() => decodeFieldAttributes({ class: '"ScalarField"' })).toThrow(/grid missing/);
    expect(() => decodeFieldAttributes({ class: '"ScalarField"', grid: '{"class": ' })).toThrow(/not a JSON text/);
    expect(() => decodeFieldAttributes({ class: '"FieldCollection"', fields: '[]' })).toThrow(/non-empty list/);
  });
  it('limits and video format', () => {
    expect(() => fieldLimits(undefined, 1, 1)).toThrow(/vmin is missing/);
    expect(() => fieldLimits([0], [1, 2], 2)).toThrow(/vmin lists 1 limits for 2 fields/);
    expect(() => fieldLimits([0, 'a'], [1, 2], 2)).toThrow(/vmin\[1\] is not a number/);
    expect(() => videoFormatKey({ video_format: 'rgb48le' }, 'rgb48le')).toThrow(/not one of/);
    expect(() => videoFormatKey({}, 'yuv420p')).toThrow(/not a py-pde format/);
  });
  it('grids', () => {
    expect(() => gridGeometry({ class: 'CartesianGrid', bounds: [[0, 1]], shape: [0] })).toThrow(/positive cell count/);
    expect(() => gridGeometry({ class: 'CartesianGrid', bounds: [[1, 0]], shape: [3] })).toThrow(/hi <= lo/);
    expect(() => gridGeometry({ class: 'CartesianGrid', bounds: [[0, 1]], shape: [3, 3] })).toThrow(/do not match/);
    expect(() => gridGeometry({ class: 'SphericalSymGrid', radius: -1, shape: [3] })).toThrow(/radius/);
    expect(() => gridGeometry({ class: 'CylindricalSymGrid', radius: 1, shape: [3] })).toThrow(/two axes/);
    expect(() => gridGeometry({ class: 'TriangleGrid', shape: [3] })).toThrow(/unsupported grid class/);
  });
  it('times side-car: bad token with its offset, too many entries', () => {
    try {
      parseTimes('0\n0.5\nabc\n', 10);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TimesError);
      expect((e as TimesError).offset).toBe(6);
    }
    expect(() => parseTimes('1 2 3', 2)).toThrow(/more than 2/);
  });
});
