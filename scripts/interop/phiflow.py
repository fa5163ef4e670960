#!/usr/bin/python3
"""PhiFlow interop checks for framescope's PhiFlow reader and writer (ours; runs PhiFlow itself).

Needs PhiFlow 3 and PhiML importable: set PHIFLOW_PATH to the folder(s) holding `phi/` and
`phiml/` (':'-separated, e.g. /tmp/ref/PhiFlow:/tmp/ref/PhiML), use Debian's /usr/bin/python3 with
python3-numpy and python3-scipy. tests/phiflow/interop.test.ts drives it; `npm test` never needs it.

  phiflow.py generate <parent>   write a PhiFlow 3 scene <parent>/sim_000000 (StaggeredGrids with
                                 constant/periodic/zero-gradient/mixed boundaries, CenteredGrids,
                                 a vector grid, a 3-D staggered grid, a grid with a batch dim) and
                                 print PhiFlow's reading of it (the `dump` JSON)
  phiflow.py dump <scene-dir>    print, as JSON, how PhiFlow reads a scene: Scene.fieldnames,
                                 Scene.frames, properties, and per field and frame the grid type,
                                 extrapolation dict, bounds, resolution and values laid out as
                                 framescope's viewer fields (x fastest; `name/x` faces of a
                                 StaggeredGrid, `name` its cell centres via at_centers();
                                 `name[member=i]` per batch entry)
  phiflow.py dump-file <f.npz>   the same for one field file read with phi.field.read
"""
import json
import os
import sys

for p in reversed([p for p in os.environ.get('PHIFLOW_PATH', '').split(':') if p]):
    sys.path.insert(0, p)

import numpy as np  # noqa: E402
from phi import field as phifield  # noqa: E402
from phi.flow import Box, CenteredGrid, Scene, StaggeredGrid, batch, extrapolation, math, vec  # noqa: E402

AXES = ('x', 'y', 'z')


def plain(x):
    """to_dict() values → JSON (arrays → number / list, tuples → lists)."""
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.item() if x.ndim == 0 else x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x


def ours(t, spatial):
    """A PhiML tensor (spatial dims only) → flat list, x fastest (our [nz, ny, nx] C order)."""
    return [float(v) for v in np.asarray(t.numpy(list(reversed(spatial)))).reshape(-1)]


def grid_entry(f):
    spatial = [d for d in AXES if d in f.resolution.names] or list(f.resolution.names)
    out = {
        'type': 'StaggeredGrid' if f.is_staggered else 'CenteredGrid',
        'extrapolation': plain(f.extrapolation.to_dict()),
        'lower': [float(f.bounds.lower.vector[d]) for d in spatial],
        'upper': [float(f.bounds.upper.vector[d]) for d in spatial],
        'resolution': [int(f.resolution.get_size(d)) for d in spatial],
        'spatial': spatial,
        'batch': list(f.shape.batch.names),
        'values': {},
    }
    batch_dims = f.shape.batch
    combos = [{}]
    for b in batch_dims.names:
        combos = [dict(c, **{b: i}) for c in combos for i in range(batch_dims.get_size(b))]
    for c in combos:
        g = f[c] if c else f
        name = '' if not c else '[' + ','.join(f'{k}={v}' for k, v in c.items()) + ']'
        if f.is_staggered:
            for d in spatial:
                out['values'][f'{name}/{d}'] = ours(g.vector[d].values, spatial)
            centres = g.at_centers()
            out['values'][name] = {d: ours(centres.values.vector[d], spatial) for d in spatial}
        elif 'vector' in g.shape.channel:
            out['values'][name] = {d: ours(g.values.vector[d], spatial) for d in g.shape.get_item_names('vector')}
        else:
            out['values'][name] = ours(g.values, spatial)
    return out


def dump_scene(path):
    scene = Scene.at(path)
    res = {'fieldnames': list(scene.fieldnames), 'frames': list(scene.frames), 'properties': plain(scene.properties), 'fields': {}}
    for name in scene.fieldnames:
        per = {}
        for frame in scene.frames:
            if not os.path.exists(os.path.join(path, f'{name}_{frame:06d}.npz')):
                continue
            per[str(frame)] = grid_entry(scene.read(name, frame=frame))
        res['fields'][name] = per
    return res


def generate(parent):
    os.makedirs(parent, exist_ok=True)
    scene = Scene.create(parent, copy_calling_script=False)
    scene.put_property('dt', 0.25)
    bounds = Box(x=2, y=1.5)
    mixed = extrapolation.combine_sides(x=(extrapolation.ZERO, extrapolation.ONE), y=extrapolation.ZERO_GRADIENT)
    for frame in range(3):
        t = 0.25 * frame

        def flow(p):
            return vec(x=math.sin(np.pi * p.vector['y'] / 1.5 + t) + p.vector['x'], y=math.cos(np.pi * p.vector['x']) * (1 + t))

        def rho(p):
            return math.sin(np.pi * p.vector['x'] + 3 * t) * math.cos(np.pi * p.vector['y'] / 1.5)

        fields = {
            'velocity': StaggeredGrid(flow, extrapolation.ZERO, x=12, y=8, bounds=bounds),
            'velocity_periodic': StaggeredGrid(flow, extrapolation.PERIODIC, x=12, y=8, bounds=bounds),
            'velocity_zgrad': StaggeredGrid(flow, extrapolation.ZERO_GRADIENT, x=12, y=8, bounds=bounds),
            'velocity_mixed': StaggeredGrid(flow, mixed, x=12, y=8, bounds=bounds),
            'velocity3d': StaggeredGrid(lambda p: vec(x=p.vector['x'] + t, y=10 * p.vector['y'], z=100 * p.vector['z']), extrapolation.ZERO, x=5, y=4, z=3, bounds=Box(x=1, y=1, z=1)),
            'density': CenteredGrid(rho, extrapolation.ZERO_GRADIENT, x=12, y=8, bounds=bounds),
            'centered_vector': CenteredGrid(flow, extrapolation.PERIODIC, x=12, y=8, bounds=bounds),
        }
        d = fields['density']
        fields['members'] = CenteredGrid(math.stack([d.values, -2 * d.values], batch('member')), extrapolation.ZERO, bounds=bounds)
        scene.write(fields, frame=frame)
    return scene.path


def main(argv):
    if len(argv) < 3 or argv[1] not in ('generate', 'dump', 'dump-file'):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == 'generate':
        path = generate(argv[2])
        out = dump_scene(path)
        out['path'] = path
    elif argv[1] == 'dump':
        out = dump_scene(argv[2])
    else:
        out = grid_entry(phifield.read(argv[2]))
    json.dump(out, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
