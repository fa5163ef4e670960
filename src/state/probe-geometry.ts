import type { Point, Region } from '../analysis/region';

/**
 * Probe geometry in the plot's physical coordinates and its compact text form, kept in the view
 * state (`ViewState.probe`) and so in the URL hash as `pr=`:
 *   line:x,y;x,y[;…]   a line or polyline        point:x,y             a point
 *   rect:x0,y0,x1,y1   a rectangle               ellipse:cx,cy,rx,ry   an axis-aligned ellipse
 *   poly:x,y;x,y;x,y[;…] a polygon
 * Numbers with 7 significant digits; what the probes compute on is the decoded (rounded) geometry,
 * so a reload computes the same numbers.
 */
export type ProbeGeom = { kind: 'line'; points: Point[] } | { kind: 'roi'; region: Region } | { kind: 'point'; point: Point };

export type ProbeTool = 'none' | 'line' | 'rectangle' | 'ellipse' | 'polygon' | 'point';

const n7 = (x: number) => String(Number(x.toPrecision(7)));
const pts = (ps: Point[]) => ps.map((p) => `${n7(p.x)},${n7(p.y)}`).join(';');

/** Geometry → the compact text kept in the view state and the hash ('' for none). */
export function encodeProbe(g: ProbeGeom | null): string {
  if (!g) return '';
  if (g.kind === 'line') return `line:${pts(g.points)}`;
  if (g.kind === 'point') return `point:${pts([g.point])}`;
  const r = g.region;
  if (r.type === 'rectangle') return `rect:${[r.x0, r.y0, r.x1, r.y1].map(n7).join(',')}`;
  if (r.type === 'ellipse') return `ellipse:${[r.cx, r.cy, r.rx, r.ry].map(n7).join(',')}`;
  return `poly:${pts(r.points)}`;
}

/** The view state's text → geometry (null for '' or anything malformed). */
export function decodeProbe(s: string | undefined | null): ProbeGeom | null {
  if (!s) return null;
  const m = /^(line|point|rect|ellipse|poly):(.*)$/.exec(s);
  if (!m) return null;
  const nums = (t: string) => t.split(',').map(Number);
  const list = (t: string): Point[] | null => {
    const out = t.split(';').map((q) => nums(q));
    return out.every((q) => q.length === 2 && q.every(Number.isFinite)) ? out.map(([x, y]) => ({ x, y })) : null;
  };
  const [, kind, body] = m;
  if (kind === 'line' || kind === 'poly' || kind === 'point') {
    const p = list(body);
    if (!p) return null;
    if (kind === 'line') return p.length >= 2 ? { kind: 'line', points: p } : null;
    if (kind === 'point') return p.length === 1 ? { kind: 'point', point: p[0] } : null;
    return p.length >= 3 ? { kind: 'roi', region: { type: 'polygon', points: p } } : null;
  }
  const v = nums(body);
  if (v.length !== 4 || !v.every(Number.isFinite)) return null;
  if (kind === 'rect') return { kind: 'roi', region: { type: 'rectangle', x0: v[0], y0: v[1], x1: v[2], y1: v[3] } };
  return v[2] > 0 && v[3] > 0 ? { kind: 'roi', region: { type: 'ellipse', cx: v[0], cy: v[1], rx: v[2], ry: v[3] } } : null;
}
