import type { FieldData, FieldInfo, Frame, FrameInfo, FrameSource, Scale } from '../../src/formats/types';

const sc = (slope: number, offset: number, unit = 'mm', description = ''): Scale => ({ slope, offset, unit, description });

/**
 * A small in-memory FrameSource for exporter tests: fields `c` (scalar f32 [ny,nx], masked cells),
 * `vel` (vector), `img` (uint16 scalar, integer values), `rgb` (uint8 rgb), `line` (1D scalar),
 * optionally `vol` (3D). Values are deterministic functions of (frame, x, y).
 */
export function syntheticSource(
  opts: { frames?: number; nx?: number; ny?: number; times?: (number | null)[]; numbers?: number[]; flipY?: boolean; vol?: boolean } = {},
): FrameSource & { reads: number[] } {
  const nf = opts.frames ?? 5;
  const nx = opts.nx ?? 7;
  const ny = opts.ny ?? 5;
  const frames: FrameInfo[] = Array.from({ length: nf }, (_, i) => ({
    index: i,
    number: opts.numbers?.[i] ?? i + 1,
    time: opts.times ? opts.times[i] : 0.5 + 0.25 * i,
  }));
  const fields: FieldInfo[] = [
    { name: 'c', kind: 'scalar', shape: [ny, nx], unit: 'kg/m^3' },
    { name: 'vel', kind: 'vector', shape: [ny, nx], unit: 'm/s' },
    { name: 'img', kind: 'scalar', shape: [ny, nx], unit: 'counts' },
    { name: 'rgb', kind: 'rgb', shape: [ny, nx, 3], unit: '' },
    { name: 'line', kind: 'scalar', shape: [nx], unit: '' },
  ];
  if (opts.vol) fields.push({ name: 'vol', kind: 'scalar', shape: [3, ny, nx], unit: '' });
  const ySlope = opts.flipY ? -0.5 : 0.5;
  const yOff = opts.flipY ? 10 : 1;
  const scales = { x: sc(0.25, -1), y: sc(ySlope, yOff), i: sc(1, 0, 'kg/m^3') };
  const reads: number[] = [];
  const src: FrameSource & { reads: number[] } = {
    format: 'synthetic',
    name: 'synth.dat',
    frames,
    fields,
    metadata: { origin: 'test' },
    timeUnit: 's',
    reads,
    async readFrame(index: number): Promise<Frame> {
      if (index < 0 || index >= nf) throw new RangeError(`bad index ${index}`);
      reads.push(index);
      const n = nx * ny;
      const c = new Float32Array(n);
      const u = new Float32Array(n);
      const v = new Float32Array(n);
      const img = new Uint16Array(n);
      const rgb = new Uint8Array(n * 3);
      const mask = new Uint8Array(n);
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          const i = y * nx + x;
          c[i] = Math.sin(0.3 * x + 0.2 * y + 0.1 * index) * 2.5 + 0.125 * index;
          u[i] = Math.cos(0.1 * x * (index + 1)) * (y + 1);
          v[i] = -0.5 * x + 0.25 * y - index;
          img[i] = (x * 1000 + y * 37 + index * 11) % 65536;
          rgb[3 * i] = (x * 30) & 255;
          rgb[3 * i + 1] = (y * 40) & 255;
          rgb[3 * i + 2] = (index * 50) & 255;
          mask[i] = (x + y + index) % 7 === 0 ? 1 : 0;
        }
      const line = Float64Array.from({ length: nx }, (_, x) => x * x * 0.1 - index);
      const out: Record<string, FieldData> = {
        c: { kind: 'scalar', shape: [ny, nx], values: c, mask, scales },
        vel: { kind: 'vector', shape: [ny, nx], u, v, mask, scales },
        img: { kind: 'scalar', shape: [ny, nx], values: img, scales: { x: sc(1, 0, 'px'), y: sc(1, 0, 'px') } },
        rgb: { kind: 'rgb', shape: [ny, nx, 3], values: rgb },
        line: { kind: 'scalar', shape: [nx], values: line, scales: { x: sc(0.5, 0.25, 'm'), y: sc(1, 0, '') } },
      };
      if (opts.vol) {
        const vol = Float32Array.from({ length: 3 * n }, (_, i) => i * 0.5 + index);
        out.vol = { kind: 'scalar', shape: [3, ny, nx], values: vol, scales: { ...scales, z: sc(2, 0) } };
      }
      return { info: frames[index], fields: out, attributes: {} };
    },
    nearestIndex(t: number): number {
      let best = 0;
      let bd = Infinity;
      frames.forEach((f, i) => {
        if (f.time === null) return;
        const d = Math.abs(f.time - t);
        if (d < bd) {
          bd = d;
          best = i;
        }
      });
      return best;
    },
    close() {},
  };
  return src;
}
