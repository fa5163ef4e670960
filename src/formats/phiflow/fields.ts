/** Turn a decoded field file and a field plan into FieldData (values, vectors, scales). */
import type { NpyArray } from '../../codecs/npy';
import type { FieldData } from '../types';
import { dataView, extractBlock, faceRanges, fixedOffset, makeOut, scalesOf, type FieldPlan, type GridFile } from './grid';
import { cellCentredComponent } from './staggered';

export function materialize(grid: GridFile, data: NpyArray, plan: FieldPlan): FieldData {
  const v = dataView(grid, data.data, plan.part);
  const base = fixedOffset(v, plan.fixed);
  const count = plan.shape.reduce((a, b) => a * b, 1);
  const vecStride = grid.vectorDim >= 0 ? v.strides[grid.vectorDim] : 0;
  const cells: [number, number][] = grid.resolution.map((n) => [0, n]);
  const src = plan.source;
  switch (src.type) {
    case 'scalar':
    case 'component': {
      const out = makeOut(grid, count);
      extractBlock(grid, v, base + (src.type === 'component' ? src.comp * vecStride : 0), cells, out);
      return {
        kind: 'scalar',
        shape: plan.shape,
        values: out,
        scales: scalesOf(
          grid,
          grid.spatial.map(() => null),
        ),
      };
    }
    case 'vector': {
      const comps = src.comps.map((c) => {
        const out = new Float32Array(count);
        extractBlock(grid, v, base + c * vecStride, cells, out);
        return out;
      });
      return {
        kind: 'vector',
        shape: plan.shape,
        u: comps[0],
        v: comps[1],
        ...(comps[2] ? { w: comps[2] } : {}),
        scales: scalesOf(
          grid,
          grid.spatial.map(() => null),
        ),
      };
    }
    case 'face': {
      const ranges = faceRanges(grid, src.dim);
      const out = makeOut(grid, count);
      extractBlock(grid, v, base + src.comp * vecStride, ranges, out);
      return {
        kind: 'scalar',
        shape: plan.shape,
        values: out,
        scales: scalesOf(
          grid,
          grid.spatial.map((_, k) => (k === src.dim ? ranges[k][0] : null)),
        ),
      };
    }
    case 'staggered-vector': {
      const comps = src.comps.map((c, k) => {
        const out = new Float32Array(count);
        cellCentredComponent(grid, v, base + c * vecStride, k, out);
        return out;
      });
      return {
        kind: 'vector',
        shape: plan.shape,
        u: comps[0],
        v: comps[1],
        ...(comps[2] ? { w: comps[2] } : {}),
        scales: scalesOf(
          grid,
          grid.spatial.map(() => null),
        ),
      };
    }
  }
}
