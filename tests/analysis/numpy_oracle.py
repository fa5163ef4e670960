"""numpy/scipy oracle for tests/analysis/numpy.test.ts (written for these tests; run by /usr/bin/python3).

Reads <dir>/meta.json and the .npy inputs next to it, writes <name>__<quantity>.npy (float64, NaN
where numpy's rule gives no value) and statistics <name>__stat_<stat>.npy.
Derivatives: numpy.gradient(edge_order=1) applied to every run of valid cells along each axis.
"""
import json, os, sys
import numpy as np

d = sys.argv[1]
meta = json.load(open(os.path.join(d, 'meta.json')))
load = lambda n: np.load(os.path.join(d, n))
save = lambda n, a: np.save(os.path.join(d, n), np.asarray(a, dtype=np.float64))


def grad_runs(f, valid, sp, axis):
    """numpy.gradient on each run of valid cells along `axis` (sp: scalar step or coordinate array)."""
    f = np.moveaxis(np.asarray(f, np.float64), axis, -1)
    v = np.moveaxis(valid, axis, -1)
    out = np.zeros(f.shape)
    ok = np.zeros(f.shape, bool)
    n = f.shape[-1]
    for idx in np.ndindex(f.shape[:-1]):
        line, vl = f[idx], v[idx]
        k = 0
        while k < n:
            if not vl[k]:
                k += 1
                continue
            e = k
            while e < n and vl[e]:
                e += 1
            if e - k >= 2:
                s = sp if np.ndim(sp) == 0 else sp[k:e]
                out[idx + (slice(k, e),)] = np.gradient(line[k:e], s)
                ok[idx + (slice(k, e),)] = True
            k = e
    return np.moveaxis(out, -1, axis), np.moveaxis(ok, -1, axis)


def smooth(comps, valid, o):
    from scipy import ndimage
    vf = valid.astype(np.float64)
    if o['kind'] == 'gaussian':
        filt = lambda a: ndimage.gaussian_filter(a, o['size'], mode='constant', truncate=o.get('truncate', 4.0))
    else:
        filt = lambda a: ndimage.uniform_filter(a, o['size'], mode='constant')
    den = filt(vf)
    out = []
    for c in comps:
        num = filt(np.where(valid, c.astype(np.float64), 0.0))
        out.append(np.where(valid, num / np.where(den > 0, den, 1), 0.0))
    return out


for case in meta['cases']:
    name = case['name']
    comps = [load(f"{name}__{c}.npy").astype(np.float64) for c in case['comps']]
    mask = load(f"{name}__mask.npy").astype(bool)
    valid = ~mask
    for c in comps:
        valid &= np.isfinite(c)
    if case.get('smooth'):
        comps = smooth(comps, valid, case['smooth'])
    nd = comps[0].ndim
    # array axis of x, y, z in C order [.., y, x]
    axis_of = {'x': nd - 1, 'y': nd - 2, 'z': nd - 3}
    sp = {}
    for a, s in case['spacing'].items():
        sp[a] = np.asarray(s['coords'], np.float64) * s['factor'] if 'coords' in s else s['slope'] * s['factor']
    G = {}
    def g(ci, a):
        key = (ci, a)
        if key not in G:
            if ci >= len(comps):
                G[key] = (np.zeros(comps[0].shape), valid.copy())
            else:
                G[key] = grad_runs(comps[ci], valid, sp[a], axis_of[a])
        return G[key]
    def combine(gs, val):
        ok = valid.copy()
        for _, o in gs:
            ok &= o
        return np.where(ok, val, np.nan)
    vol = nd == 3 and comps[0].shape[0] > 1
    def tensor():
        axes = ['x', 'y', 'z'] if vol else ['x', 'y']
        k = len(axes)
        gs = [[g(i, a) for a in axes] for i in range(k)]
        A = np.stack([np.stack([gs[i][j][0] for j in range(k)], -1) for i in range(k)], -2)
        return A, [x for row in gs for x in row]
    for q in case['quantities']:
        u = comps[0]
        v = comps[1] if len(comps) > 1 else None
        w = comps[2] if len(comps) > 2 else None
        if q == 'magnitude':
            r = combine([], np.sqrt(sum(c * c for c in comps)))
        elif q == 'kinetic-energy':
            r = combine([], 0.5 * sum(c * c for c in comps))
        elif q == 'flow-angle':
            r = combine([], np.degrees(np.arctan2(v, u)))
        elif q in ('vorticity', 'vorticity-z'):
            r = combine([g(1, 'x'), g(0, 'y')], g(1, 'x')[0] - g(0, 'y')[0])
        elif q == 'vorticity-x':
            r = combine([g(2, 'y'), g(1, 'z')], g(2, 'y')[0] - g(1, 'z')[0])
        elif q == 'vorticity-y':
            r = combine([g(0, 'z'), g(2, 'x')], g(0, 'z')[0] - g(2, 'x')[0])
        elif q == 'vorticity-magnitude':
            ox = g(2, 'y')[0] - g(1, 'z')[0]; oy = g(0, 'z')[0] - g(2, 'x')[0]; oz = g(1, 'x')[0] - g(0, 'y')[0]
            r = combine([g(2, 'y'), g(1, 'z'), g(0, 'z'), g(2, 'x'), g(1, 'x'), g(0, 'y')], np.sqrt(ox ** 2 + oy ** 2 + oz ** 2))
        elif q == 'divergence':
            terms = [g(0, 'x'), g(1, 'y')] + ([g(2, 'z')] if vol else [])
            r = combine(terms, sum(t[0] for t in terms))
        elif q == 'shear-strain':
            r = combine([g(0, 'y'), g(1, 'x')], 0.5 * (g(0, 'y')[0] + g(1, 'x')[0]))
        elif q == 'shear-strain-xz':
            r = combine([g(0, 'z'), g(2, 'x')], 0.5 * (g(0, 'z')[0] + g(2, 'x')[0]))
        elif q == 'shear-strain-yz':
            r = combine([g(1, 'z'), g(2, 'y')], 0.5 * (g(1, 'z')[0] + g(2, 'y')[0]))
        elif q.startswith('normal-strain-'):
            a = q[-1]
            r = combine([g('xyz'.index(a), a)], g('xyz'.index(a), a)[0])
        elif q == 'q-criterion':
            A, gs = tensor()
            S = 0.5 * (A + np.swapaxes(A, -1, -2)); W = 0.5 * (A - np.swapaxes(A, -1, -2))
            r = combine(gs, 0.5 * ((W ** 2).sum((-1, -2)) - (S ** 2).sum((-1, -2))))
        elif q == 'lambda2':
            A, gs = tensor()
            S = 0.5 * (A + np.swapaxes(A, -1, -2)); W = 0.5 * (A - np.swapaxes(A, -1, -2))
            r = combine(gs, np.linalg.eigvalsh(S @ S + W @ W)[..., 1])
        elif q == 'swirling-strength':
            A, gs = tensor()
            r = combine(gs, np.abs(np.linalg.eigvals(A).imag).max(-1))
        elif len(q) == 4 and q[0] == 'd' and q[2] == 'd' and q[1] in 'uvw':
            ci = 'uvw'.index(q[1]); a = q[3]
            r = combine([g(ci, a)], g(ci, a)[0])
        elif q in ('dfdx', 'dfdy', 'dfdz'):
            r = combine([g(0, q[3])], g(0, q[3])[0])
        elif q == 'gradient-magnitude':
            axes = [a for a in 'xyz' if a in sp and comps[0].shape[axis_of[a]] > 1]
            r = combine([g(0, a) for a in axes], np.sqrt(sum(g(0, a)[0] ** 2 for a in axes)))
        elif q == 'laplacian':
            axes = [a for a in 'xyz' if a in sp and comps[0].shape[axis_of[a]] > 1]
            terms = []
            for a in axes:
                d1, ok1 = g(0, a)
                rate = case.get('rateFactor', {}).get(a, 1.0)
                s2 = sp[a] * rate
                terms.append(grad_runs(d1, ok1, s2, axis_of[a]))
            r = combine(terms, sum(t[0] for t in terms))
        else:
            raise SystemExit(f'oracle: unknown quantity {q}')
        save(f"{name}__{q}.npy", r)

for st in meta.get('stats', []):
    name = st['name']
    comps = [load(f"{name}__{c}.npy").astype(np.float64) for c in st['comps']]  # (T, ...)
    mask = load(f"{name}__mask.npy").astype(bool)
    for c in comps:
        mask |= ~np.isfinite(c)
    M = [np.ma.masked_array(c, mask) for c in comps]
    cnt = M[0].count(0)
    fill = lambda a: np.ma.filled(np.ma.masked_array(a, cnt == 0), np.nan)
    for i, c in enumerate(st['comps']):
        save(f"{name}__stat_mean_{c}.npy", fill(M[i].mean(0)))
        save(f"{name}__stat_std_{c}.npy", fill(M[i].std(0)))
        save(f"{name}__stat_min_{c}.npy", fill(M[i].min(0)))
        save(f"{name}__stat_max_{c}.npy", fill(M[i].max(0)))
    save(f"{name}__stat_count.npy", cnt)
    if len(comps) >= 2:
        fl = [m - m.mean(0) for m in M]
        names = 'uvw'
        for i in range(len(comps)):
            for j in range(i, len(comps)):
                save(f"{name}__stat_reynolds-{names[i]}{names[j]}.npy", fill((fl[i] * fl[j]).mean(0)))
        save(f"{name}__stat_tke.npy", fill(0.5 * sum((f * f).mean(0) for f in fl)))
print('ok')
