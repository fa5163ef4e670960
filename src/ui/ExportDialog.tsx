import { NEAREST_RULES, nearestIndex } from '../core/nearest';
import { useEffect, useMemo, useRef, useState } from 'react';
import { frameRange } from '../export/frame-range';
import { EXPORT_TARGETS, type OptionSpec } from '../export/targets';
import type { FrameInfo } from '../core/types';
import { useActiveDataset } from '../state/datasets';
import { eta, useJobs } from '../state/jobs';
import { useView } from '../state/view';
import { runExport } from '../workers/client';
import { bytesLabel } from './format';

let jobIds = 1;
/** Exported bytes of finished jobs, kept until saved (not in the store: they can be large). */
const results = new Map<number, { files: { path: string; bytes: Uint8Array }[]; name: string }>();

async function save(id: number, usePickers: boolean): Promise<void> {
  const r = results.get(id);
  if (!r) return;
  const { saveFiles } = await import('../export/save');
  try {
    await saveFiles(r.files, r.name, { usePickers });
  } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    // a picker the browser refuses (e.g. no user activation left): download instead
    await saveFiles(r.files, r.name, { usePickers: false });
  }
}

const nearestByTime = (frames: FrameInfo[]) => (t: number) => nearestIndex(frames.map((f) => f.time), t, NEAREST_RULES.first);

function defaults(opts: OptionSpec[]): Record<string, unknown> {
  return Object.fromEntries(opts.map((o) => [o.key, o.default]));
}

/**
 * The export dialog: target, frame range (by index or time: start/stop/step), fields and the
 * target's options; the job runs in a worker with progress, ETA and cancel, and the result is saved
 * through the File System Access API where the browser has it, else downloaded.
 */
export function ExportDialog() {
  const active = useActiveDataset();
  const view = useView();
  const { jobs, add, update } = useJobs();
  const dlg = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState(EXPORT_TARGETS[0].id);
  const spec = EXPORT_TARGETS.find((t) => t.id === target)!;
  const [options, setOptions] = useState<Record<string, unknown>>(defaults(spec.options));
  const [by, setBy] = useState<'index' | 'time'>('index');
  const [range, setRange] = useState({ start: '', stop: '', step: '' });
  const [fields, setFields] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [, tick] = useState(0);

  // Rendered targets start from what the viewer shows (field, component, colormap, limits, stride, plane).
  useEffect(() => {
    const has = (k: string) => spec.options.some((o) => o.key === k);
    const fromView: Record<string, unknown> = {};
    if (has('field')) fromView.field = view.field;
    if (has('component')) fromView.component = view.component;
    if (has('colormap')) fromView.colormap = view.colormap;
    if (has('stride')) fromView.stride = view.stride;
    if (has('plane')) fromView.plane = view.plane;
    if (has('quiver')) fromView.quiver = view.quiver;
    if (has('limits') && view.limitsMode === 'manual' && view.vmin !== null && view.vmax !== null) Object.assign(fromView, { limits: 'manual', vmin: view.vmin, vmax: view.vmax });
    setOptions({ ...defaults(spec.options), ...fromView });
  }, [target]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const t = setInterval(() => tick((x) => x + 1), 500);
    return () => clearInterval(t);
  }, []);

  const frames = active?.summary.frames ?? [];
  const selection = useMemo(() => {
    try {
      const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
      return { indices: frameRange({ frames, nearestIndex: nearestByTime(frames) }, { by, start: num(range.start), stop: num(range.stop), step: num(range.step) }), error: null };
    } catch (e) {
      return { indices: [] as number[], error: (e as Error).message };
    }
  }, [frames, by, range]);

  const start = () => {
    if (!active) return;
    if (selection.error) return setProblem(selection.error);
    setProblem(null);
    const id = jobIds++;
    const job = { target, frames: selection.indices, fields: fields.length ? fields : undefined, options };
    const run = runExport({ spec: active.spec, scene: active.summary.sceneIndex, job }, (done, total) => update(id, { done, total }));
    add({ id, target, dataset: active.summary.name, status: 'running', done: 0, total: selection.indices.length, startedAt: Date.now(), cancel: run.cancel });
    run.promise.then(
      (files) => {
        results.set(id, { files, name: `${active.summary.name}-${target}` });
        update(id, { status: 'done', finishedAt: Date.now(), files: files.map((f) => ({ path: f.path, size: f.bytes.length })) });
      },
      (e: Error) => update(id, { status: e.name === 'AbortError' ? 'cancelled' : 'error', error: e.message, finishedAt: Date.now() }),
    );
  };

  const setOpt = (k: string, v: unknown) => setOptions((o) => ({ ...o, [k]: v }));
  const input = (o: OptionSpec) => {
    const val = options[o.key];
    if (o.type === 'boolean') return <input type="checkbox" checked={!!val} onChange={(e) => setOpt(o.key, e.target.checked)} />;
    if (o.type === 'enum')
      return (
        <select value={String(val)} onChange={(e) => setOpt(o.key, typeof o.default === 'number' ? Number(e.target.value) : e.target.value)}>
          {o.choices!.map((c) => (
            <option key={String(c)}>{String(c)}</option>
          ))}
        </select>
      );
    if (o.type === 'number') return <input type="number" step="any" min={o.min} max={o.max} value={val === null || val === undefined ? '' : String(val)} onChange={(e) => setOpt(o.key, e.target.value === '' ? o.default : Number(e.target.value))} />;
    if (o.type === 'json')
      return (
        <input
          type="text"
          defaultValue={val === null || val === undefined ? '' : JSON.stringify(val)}
          onBlur={(e) => {
            try {
              setOpt(o.key, e.target.value.trim() === '' ? null : JSON.parse(e.target.value));
            } catch {
              setProblem(`${o.label}: not valid JSON`);
            }
          }}
        />
      );
    return <input type="text" value={String(val ?? '')} onChange={(e) => setOpt(o.key, e.target.value)} />;
  };

  return (
    <>
      <button data-testid="export" disabled={!active} onClick={() => dlg.current?.showModal()}>
        Export…
      </button>
      <dialog ref={dlg} data-testid="export-dialog">
        <h3>Export {active?.summary.name}</h3>
        <label>
          Target
          <select data-testid="export-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            {EXPORT_TARGETS.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        {spec.help && <p className="muted">{spec.help}</p>}
        <fieldset>
          <legend>Frames ({selection.indices.length} selected)</legend>
          <label>
            Select by
            <select value={by} onChange={(e) => setBy(e.target.value as 'index' | 'time')}>
              <option value="index">index</option>
              <option value="time">time (nearest frame per step)</option>
            </select>
          </label>
          {(['start', 'stop', 'step'] as const).map((k) => (
            <label key={k}>
              {k}
              <input data-testid={`export-range-${k}`} type="number" step="any" placeholder="default" value={range[k]} onChange={(e) => setRange((r) => ({ ...r, [k]: e.target.value }))} />
            </label>
          ))}
          {selection.error && <p className="error">{selection.error}</p>}
        </fieldset>
        <fieldset>
          <legend>Fields (none ticked = all the target can store)</legend>
          {active?.summary.fields
            .filter((f) => !f.name.includes('/'))
            .map((f) => (
              <label key={f.name} style={{ justifyContent: 'flex-start' }}>
                <input type="checkbox" checked={fields.includes(f.name)} onChange={(e) => setFields((s) => (e.target.checked ? [...s, f.name] : s.filter((x) => x !== f.name)))} />
                {f.name} <span className="muted">({f.kind})</span>
              </label>
            ))}
        </fieldset>
        <fieldset>
          <legend>Options</legend>
          {spec.options.map((o) => (
            <label key={o.key} title={o.help}>
              {o.label}
              {input(o)}
            </label>
          ))}
        </fieldset>
        {problem && <p className="error">{problem}</p>}
        <div className="jobs" data-testid="export-jobs">
          {jobs.map((j) => {
            const left = eta(j);
            return (
              <div key={j.id} data-status={j.status}>
                {j.dataset} → {j.target}: <progress max={j.total || 1} value={j.done} /> {j.done}/{j.total} {j.status}
                {left !== null && ` · ${left.toFixed(0)} s left`}
                {j.status === 'running' && <button onClick={() => j.cancel?.()}>Cancel</button>}
                {j.error && <span className="muted"> {j.error}</span>}
                {j.files && <span className="muted"> {j.files.map((f) => `${f.path} (${bytesLabel(f.size)})`).join(', ')}</span>}
                {j.status === 'done' && (
                  <>
                    {' '}
                    <button data-testid="export-save" onClick={() => void save(j.id, true)} title="choose where to save (File System Access API where the browser has it)">
                      Save…
                    </button>
                    <button data-testid="export-download" onClick={() => void save(j.id, false)}>
                      Download
                    </button>
                  </>
                )}
              </div>
            );
          })}
        </div>
        <div className="actions">
          <button onClick={() => dlg.current?.close()}>Close</button>
          <button data-testid="export-start" onClick={start} disabled={!active || !selection.indices.length}>
            Export {selection.indices.length} frames
          </button>
        </div>
      </dialog>
    </>
  );
}
