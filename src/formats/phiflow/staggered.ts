/**
 * StaggeredGrid → face components and a cell-centred vector.
 *
 * The stored tensor has every spatial axis resolution + 1 long; component D (the vector entry
 * whose item name is D) lives on the faces normal to D: face i along D sits at lo_D + i·Δ_D
 * (i = 0…n_D), along every other axis E at cell centres (index n_E is padding). Which boundary
 * faces along D are real data depends on the extrapolation (extrapolation.ts: constant → both
 * padding, periodic → upper padding, zero-gradient & co. → none).
 *
 * Cell-centred vector (the field `name`): component D of cell i is the mean of the two faces
 * around it, (f[i] + f[i+1]) / 2. Where one of those faces is padding, the extrapolation's
 * boundary value is used instead of the padding entry:
 *   constant c  → c (a per-component constant uses the component's entry, in vector-dim order);
 *   periodic    → the upper face n wraps to face 0;
 *   zero-gradient, symmetric, … → never padding (both faces are stored data).
 */
import { FormatError } from '../errors';
import { isPadding, type Side } from './extrapolation';
import { compIndex, faceRanges, type DataView3, type GridFile } from './grid';

function dimStride(grid: GridFile, v: DataView3, k: number): number {
  return v.strides[grid.dims.findIndex((d) => d.name === grid.spatial[k])];
}

function constantFor(side: Side, comp: number, ncomp: number): number {
  const vals = side.value ?? [NaN];
  return vals.length === ncomp ? vals[comp] : vals[0];
}

/**
 * Cell-centred component k (spatial index) of a staggered grid, x fastest. `base` includes the
 * fixed batch indices and the component's offset along the vector dim.
 */
export function cellCentredComponent(grid: GridFile, v: DataView3, base: number, k: number, out: Float32Array): void {
  const dimName = grid.spatial[k];
  const n = grid.resolution[k];
  const lowSide = grid.extrapolation.side(dimName, false);
  const upSide = grid.extrapolation.side(dimName, true);
  const lowPad = isPadding(lowSide, false);
  const upPad = isPadding(upSide, true);
  const ncomp = grid.spatial.length;
  const sD = dimStride(grid, v, k);
  const comp = compIndex(grid, k);
  const lowVal = lowSide.kind === 'constant' ? constantFor(lowSide, comp, ncomp) : NaN;
  const upVal = upSide.kind === 'constant' ? constantFor(upSide, comp, ncomp) : NaN;
  if (lowPad && lowSide.kind !== 'constant')
    throw new FormatError('phiflow', grid.path, `lower boundary of ${dimName} is padding with no value rule (${lowSide.kind})`);
  const strides = grid.spatial.map((_, j) => dimStride(grid, v, j));
  const res = grid.resolution;
  const [nx, ny, nz] = [res[0], res[1] ?? 1, res[2] ?? 1];
  const [sx, sy, sz] = [strides[0], strides[1] ?? 0, strides[2] ?? 0];
  const { src, per, part } = v;
  const at = (s: number) => src[s * per + part];
  let o = 0;
  for (let iz = 0; iz < nz; iz++)
    for (let iy = 0; iy < ny; iy++)
      for (let ix = 0; ix < nx; ix++) {
        const s = base + ix * sx + iy * sy + iz * sz;
        const i = k === 0 ? ix : k === 1 ? iy : iz;
        const a = i === 0 && lowPad ? lowVal : at(s);
        let b: number;
        if (i === n - 1 && upPad)
          b = upSide.kind === 'constant' ? upVal : at(s - (n - 1) * sD); // periodic: face n ≡ face 0
        else b = at(s + sD);
        out[o++] = 0.5 * (a + b);
      }
}

export { faceRanges };
