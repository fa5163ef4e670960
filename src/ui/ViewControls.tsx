import { useShallow } from 'zustand/react/shallow';
import { availableQuantities } from '../analysis/quantities';
import { COLORMAP_NAMES } from '../render/colormaps';
import type { LimitsMode } from '../render/colorize';
import { MASK_STYLES } from '../render/mask-style';
import { useActiveDataset, useDatasets } from '../state/datasets';
import { meanDatasetFor } from '../state/fluctuation';
import { drawnStore } from '../state/drawn';
import { useView, viewStateOf } from '../state/view';
import { fmtNum } from './format';
import { StatsDialog } from './StatsDialog';

/** Field, component, plane, colormap, limits and quiver controls. */
export function ViewControls() {
  const active = useActiveDataset();
  // not the frame: these controls do not change with it, and re-rendering them on every frame drawn
  // took main-thread time from playback
  const v = useView(
    useShallow((s) => {
      const { frame: _frame, ...rest } = viewStateOf(s);
      return { ...rest, set: s.set };
    }),
  );
  // the limits in force on screen (automatic modes compute them per frame; equal limits are no change)
  const drawnLimits = drawnStore(useShallow((s) => s.limits));
  const datasets = useDatasets((s) => s.datasets);
  if (!active?.summary.fields.length) return null;
  const meanDs = meanDatasetFor(datasets, active, v.field);
  const fields = active.summary.fields;
  const f = fields.find((x) => x.name === v.field) ?? fields[0];
  const isVector = f?.kind === 'vector';
  const depth = f && f.shape.length >= 3 && f.kind !== 'rgb' ? f.shape[0] : 1;
  const is1d = !!f && f.kind !== 'rgb' && f.shape.length === 1;
  const shownMin = v.limitsMode === 'manual' ? (v.vmin ?? '') : drawnLimits ? Number(fmtNum(drawnLimits[0])) : '';
  const shownMax = v.limitsMode === 'manual' ? (v.vmax ?? '') : drawnLimits ? Number(fmtNum(drawnLimits[1])) : '';
  const setLimit = (which: 'vmin' | 'vmax', raw: string) => {
    const other = which === 'vmin' ? 'vmax' : 'vmin';
    const otherVal = v.limitsMode === 'manual' ? v[other] : (drawnLimits?.[which === 'vmin' ? 1 : 0] ?? null);
    v.set({ [which]: raw === '' ? null : Number(raw), [other]: otherVal, limitsMode: 'manual' });
  };
  const main = fields.filter((x) => !x.name.includes('/'));
  const parts = fields.filter((x) => x.name.includes('/'));
  const opt = (x: (typeof fields)[number]) => (
    <option key={x.name} value={x.name}>
      {x.name} ({x.kind}, {x.shape.join('×')}
      {x.unit ? `, ${x.unit}` : ''})
    </option>
  );
  return (
    <div className="panel controls">
      <h2>
        View <StatsDialog />
      </h2>
      <label>
        Field
        <select
          data-testid="field"
          value={f?.name ?? ''}
          onChange={(e) =>
            v.set({ field: e.target.value, plane: 0, vmin: null, vmax: null, derived: '', limitsMode: v.limitsMode === 'manual' ? 'minmax' : v.limitsMode })
          }
        >
          {main.map(opt)}
          {parts.length > 0 && <optgroup label="components">{parts.map(opt)}</optgroup>}
        </select>
      </label>
      {f && f.kind !== 'rgb' && !is1d && (
        <>
          <label title="ω_z = ∂v/∂x − ∂u/∂y in a right-handed x–y frame; derivatives on the physical grid (numpy.gradient rule per valid run), lengths in metres">
            Derived
            <select
              data-testid="derived"
              value={v.derived}
              onChange={(e) => {
                const q = e.target.value;
                // signed quantities read best in RdBu with limits symmetric about 0
                const signed = /vorticity(-[xyz])?$|divergence|strain|^d[uvwf]d[xyz]$|q-criterion|lambda2|laplacian/.test(q);
                v.set({
                  derived: q,
                  ...(q && signed ? { colormap: 'RdBu', limitsMode: 'symmetric' } : {}),
                  ...(q ? {} : { limitsMode: v.limitsMode === 'symmetric' ? 'minmax' : v.limitsMode }),
                });
              }}
            >
              <option value="">stored values</option>
              {availableQuantities(f).map((q) => (
                <option key={q.name} value={q.name} title={q.description}>
                  {q.label}
                </option>
              ))}
            </select>
          </label>
          {v.derived && (
            <label>
              Smoothing σ = {v.smooth === 0 ? 'off' : `${v.smooth} cells`}
              <input
                data-testid="smooth"
                type="range"
                min={0}
                max={5}
                step={0.5}
                value={v.smooth}
                onChange={(e) => v.set({ smooth: Number(e.target.value) })}
              />
            </label>
          )}
        </>
      )}
      {meanDs && (
        <label className="check" title={`the frame minus the mean of “${meanDs.label}” (cell by cell, masks combined)`}>
          <input
            type="checkbox"
            data-testid="fluct"
            checked={v.fluct}
            onChange={(e) =>
              v.set({
                fluct: e.target.checked,
                ...(e.target.checked && (!isVector || v.component !== 'magnitude' || v.derived)
                  ? { colormap: 'RdBu', limitsMode: 'symmetric' }
                  : !e.target.checked
                    ? { limitsMode: v.limitsMode === 'symmetric' ? 'minmax' : v.limitsMode }
                    : {}),
              })
            }
          />{' '}
          fluctuation: frame − time mean
        </label>
      )}
      {isVector && !v.derived && (
        <label>
          Background
          <select data-testid="component" value={v.component} onChange={(e) => v.set({ component: e.target.value })}>
            <option value="magnitude">|v| magnitude</option>
            <option value="u">u (x component)</option>
            <option value="v">v (y component)</option>
            {f.shape.length >= 3 || (f as { components?: number }).components === 3 ? <option value="w">w (z component)</option> : null}
          </select>
        </label>
      )}
      {depth > 1 && (
        <label>
          Plane z = {v.plane} / {depth - 1}
          <input
            data-testid="plane"
            type="range"
            min={0}
            max={depth - 1}
            value={Math.min(v.plane, depth - 1)}
            onChange={(e) => v.set({ plane: Number(e.target.value) })}
          />
        </label>
      )}
      {f?.kind !== 'rgb' && !is1d && (
        <>
          <label>
            Colormap
            <select data-testid="colormap" value={v.colormap} onChange={(e) => v.set({ colormap: e.target.value })}>
              {COLORMAP_NAMES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            Limits
            <select data-testid="limits" value={v.limitsMode} onChange={(e) => v.set({ limitsMode: e.target.value as LimitsMode })}>
              <option value="minmax">min / max</option>
              <option value="p1-99">1–99 percentile</option>
              <option value="symmetric">symmetric about 0</option>
              <option value="manual">manual</option>
            </select>
          </label>
          <div className="pair">
            <input
              data-testid="vmin"
              type="number"
              step="any"
              placeholder="vmin"
              title="lower colour limit in force (typing switches to manual)"
              value={shownMin}
              onChange={(e) => setLimit('vmin', e.target.value)}
            />
            <input
              data-testid="vmax"
              type="number"
              step="any"
              placeholder="vmax"
              title="upper colour limit in force (typing switches to manual)"
              value={shownMax}
              onChange={(e) => setLimit('vmax', e.target.value)}
            />
          </div>
          <label>
            Masked cells
            <select data-testid="mask-color" value={v.mask} onChange={(e) => v.set({ mask: e.target.value })}>
              {MASK_STYLES.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {isVector && (
        <>
          <label className="check">
            <input type="checkbox" checked={v.quiver} onChange={(e) => v.set({ quiver: e.target.checked })} /> arrows
          </label>
          <label>
            Arrow colour
            <select data-testid="arrow-color" value={v.arrowColor} onChange={(e) => v.set({ arrowColor: e.target.value })}>
              <option value="black">black</option>
              <option value="white">white</option>
              <option value="magnitude">by |v| (jet)</option>
            </select>
          </label>
          <label>
            Stride {v.stride === 0 ? '(auto)' : v.stride}
            <input data-testid="stride" type="range" min={0} max={16} value={v.stride} onChange={(e) => v.set({ stride: Number(e.target.value) })} />
          </label>
          <label>
            Arrow scale ×{v.arrowScale.toFixed(2)}
            <input
              data-testid="arrow-scale"
              type="range"
              min={0.1}
              max={5}
              step={0.05}
              value={v.arrowScale}
              onChange={(e) => v.set({ arrowScale: Number(e.target.value) })}
            />
          </label>
        </>
      )}
    </div>
  );
}
