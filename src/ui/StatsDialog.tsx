import { useRef, useState } from 'react';
import { datasetClient } from '../state/client';
import { newDatasetId, useActiveDataset, useDatasets } from '../state/datasets';
import { useView } from '../state/view';

/**
 * Time statistics of the shown field over a frame range (src/analysis: mean, std (ddof = 0), min,
 * max, valid count, Reynolds stresses and tke for vectors), computed in the dataset worker one frame
 * at a time with progress, ETA and cancel; the result opens as a new dataset (one frame, a field per
 * statistic) that can be viewed, compared and exported as npz/hdf5/zarr from the viewer.
 */
export function StatsDialog() {
  const active = useActiveDataset();
  const dialog = useRef<HTMLDialogElement>(null);
  const [range, setRange] = useState({ start: '', stop: '', step: '1' });
  const [useDerived, setUseDerived] = useState(false);
  const [state, setState] = useState<{ done: number; total: number; t0: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useRef<{ cancel(): void } | null>(null);
  if (!active || active.computedFrom || !active.summary.frames.length) return null;
  const v = useView.getState();
  const n = active.summary.frames.length;
  const num = (s: string, d: number) => (s.trim() === '' || !Number.isFinite(Number(s)) ? d : Math.round(Number(s)));
  const frames = () => {
    const a = Math.max(0, num(range.start, 0));
    const b = Math.min(n, num(range.stop, n));
    const st = Math.max(1, num(range.step, 1));
    const out: number[] = [];
    for (let i = a; i < b; i += st) out.push(i);
    return out;
  };
  const run = () => {
    const list = frames();
    if (!list.length) return setError('the range holds no frame');
    setError(null);
    const t0 = performance.now();
    setState({ done: 0, total: list.length, t0 });
    const view = useView.getState();
    const req = datasetClient().statistics(
      { id: active.id, newId: newDatasetId(), field: view.field, frames: list, quantity: useDerived && view.derived ? view.derived : undefined },
      (done, total) => setState({ done, total, t0 }),
    );
    job.current = req;
    req.promise.then(
      (summary) => {
        job.current = null;
        setState(null);
        dialog.current?.close();
        useDatasets.getState().addComputed(summary, active);
      },
      (e: Error) => {
        job.current = null;
        setState(null);
        if (e.name !== 'AbortError') setError(e.message);
      },
    );
  };
  const eta = state && state.done > 0 ? ((performance.now() - state.t0) / state.done) * (state.total - state.done) : null;
  return (
    <>
      <button
        data-testid="stats"
        onClick={() => dialog.current?.showModal()}
        title="mean, std, min, max, count (and Reynolds stresses, tke for vectors) over frames"
      >
        Time statistics…
      </button>
      <dialog ref={dialog} data-testid="stats-dialog">
        <h3>Time statistics of “{v.field}”</h3>
        <p className="muted">
          Per cell over the chosen frames, masks respected: mean, standard deviation (population, ddof = 0), min, max, valid-sample count; for vectors also
          ⟨u′u′⟩, ⟨v′v′⟩, ⟨u′v′⟩ and the turbulent kinetic energy. The result opens as a new dataset.
        </p>
        <label>
          first frame index{' '}
          <input
            data-testid="stats-start"
            className="num"
            value={range.start}
            placeholder="0"
            onChange={(e) => setRange({ ...range, start: e.target.value })}
          />
        </label>
        <label>
          stop (exclusive){' '}
          <input
            data-testid="stats-stop"
            className="num"
            value={range.stop}
            placeholder={String(n)}
            onChange={(e) => setRange({ ...range, stop: e.target.value })}
          />
        </label>
        <label>
          step <input data-testid="stats-step" className="num" value={range.step} onChange={(e) => setRange({ ...range, step: e.target.value })} />
        </label>
        {v.derived && (
          <label className="check">
            <input type="checkbox" checked={useDerived} onChange={(e) => setUseDerived(e.target.checked)} /> of the derived {v.derived}
          </label>
        )}
        <p>{frames().length} frames</p>
        {state && (
          <p data-testid="stats-progress">
            <progress max={state.total} value={state.done} /> {state.done} of {state.total} frames
            {eta !== null ? ` · about ${Math.ceil(eta / 1000)} s left` : ''}
          </p>
        )}
        {error && <p className="error">{error}</p>}
        <div className="actions">
          {state ? (
            <button onClick={() => job.current?.cancel()}>Cancel</button>
          ) : (
            <>
              <button onClick={() => dialog.current?.close()}>Close</button>
              <button data-testid="stats-run" onClick={run}>
                Compute
              </button>
            </>
          )}
        </div>
      </dialog>
    </>
  );
}
