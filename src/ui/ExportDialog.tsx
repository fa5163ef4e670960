import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { nearestIndex } from '../core/nearest';
import type { FieldInfo } from '../core/types';
import { frameRange, medianSpacing } from '../export/frame-range';
import { schemaDefaults, type OptionSpec } from '../export/options';
import { viewToRenderOptions } from '../export/render-options';
import { resolveOptions, type ExportTarget } from '../export/target';
import { EXPORT_TARGETS } from '../export/targets';
import { movieTiming } from '../export/targets/movies';
import type { ExportPreview } from '../export/preview';
import { datasetClient } from '../state/client';
import type { DirectoryLike, FolderResult } from '../export/job';
import { useActiveDataset } from '../state/datasets';
import { eta, progressText, useJobs } from '../state/jobs';
import { useView } from '../state/view';
import { previewComparisonExport, previewExport } from '../workers/export-client';
import type { ComputedDataset } from '../workers/memory-source';
import { create } from 'zustand';
import { COMPARE_TARGETS, type CompareTargetId } from '../export/compare-job';
import { comparisonFromState, comparisonLength } from '../state/compare-job';
import { bytesLabel, fmtNum } from './format';

type Options = Record<string, unknown>;
type FolderPickerWindow = Window & { showDirectoryPicker?(o?: { mode?: 'readwrite'; id?: string }): Promise<unknown> };

/** A Zarr store can go into a folder where the browser has the File System Access API's directory picker. */
const canPickFolder = () => typeof (window as FolderPickerWindow).showDirectoryPicker === 'function';
type Target = ExportTarget;

async function save(id: number, name: string, usePickers: boolean): Promise<void> {
  const all = useJobs.getState().filesOf(id);
  const files = all?.filter((f): f is Exclude<typeof f, FolderResult> => !('folder' in f));
  if (!files?.length) return;
  const { saveFiles } = await import('./save');
  let method: string;
  try {
    method = (await saveFiles(files, name, { usePickers })).method;
  } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    // a picker the browser refuses (e.g. no user activation left): download instead
    method = (await saveFiles(files, name, { usePickers: false })).method;
  }
  // a download reads a file on disk (OPFS) after this returns: keep it a while
  useJobs.getState().dismiss(id, method === 'download' || method === 'zip-download' ? 10 * 60_000 : 0);
}

/** Asks the dialog to open (a counter: each request opens it once), for one dataset or for the comparison on screen. */
const useExportRequest = create<{ n: number; compare: boolean }>(() => ({ n: 0, compare: false }));

/** Open the export dialog for the comparison on screen (the compare view's "Export comparison"): rendered targets only. */
export function openComparisonExport(): void {
  useExportRequest.setState((s) => ({ n: s.n + 1, compare: true }));
}

/** Options a comparison takes from each panel, or that mean nothing for the grid. */
const COMPARE_HIDDEN = new Set(['field', 'colormap', 'mode', 'plane']);

/** What the dialog starts a target with: the schema defaults, then what the viewer shows. */
function startOptions(t: Target): Options {
  const v = useView.getState();
  const out: Options = { ...schemaDefaults(t.schema) };
  // the screen's mask style as a rendered frame's mask colour (the hatch becomes a colour far from the colormap)
  const maskColor = ({ black: '#000000', white: '#ffffff', magenta: '#ff00ff' } as Record<string, string>)[v.mask] ?? 'auto';
  const fromView: Options = { ...viewToRenderOptions({ ...v, maskColor }), fps: v.fps };
  for (const k of Object.keys(fromView)) if (k in t.schema) out[k] = fromView[k];
  return out;
}

/** Options that mean nothing for this field (vector settings of a scalar field, the plane of a 2D field). */
function meaningless(key: string, field: FieldInfo | undefined): boolean {
  if (!field) return false;
  const vector = field.kind === 'vector';
  if (['component', 'quiver', 'stride', 'arrowScale', 'arrowColor'].includes(key)) return !vector;
  if (key === 'plane') return field.shape.length < 3;
  if (['limits', 'limitsScope', 'vmin', 'vmax', 'colormap', 'colorbar'].includes(key) && field.kind === 'rgb') return true;
  return false;
}

const S: Record<string, CSSProperties> = {
  dialog: { width: 'min(1200px, 96vw)', maxHeight: '94vh', padding: '10px 16px' },
  cols: { display: 'grid', gridTemplateColumns: 'minmax(0, 1.25fr) minmax(0, 1fr)', gap: 16, alignItems: 'start' },
  grid: { display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 14, rowGap: 2 },
  label: { display: 'flex', justifyContent: 'space-between', gap: 8, margin: '2px 0', alignItems: 'center', fontSize: 13 },
  control: { width: 150 },
  fieldset: { margin: '6px 0', padding: '4px 10px' },
  preview: { maxWidth: '100%', maxHeight: 340, border: '1px solid #ccd', display: 'block', imageRendering: 'auto', background: '#fff' },
  muted: { color: '#667', fontSize: 12 },
  error: { color: '#a11', fontSize: 13 },
};

/**
 * The export dialog: target, frame range, fields and the target's options as pickers, starting
 * from what the viewer shows (field, colormap, limits, arrows, playback rate); options that do not
 * apply to the target or the field are hidden; rendered targets show their first output frame as
 * it will be written. Jobs run in the export worker (src/state/jobs.ts) with progress in frames,
 * and stay listed until saved or dismissed.
 */
export function ExportDialog() {
  const active = useActiveDataset();
  const jobs = useJobs((s) => s.jobs);
  const dlg = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [targetId, setTargetId] = useState(EXPORT_TARGETS[1].id);
  // the comparison on screen instead of the active dataset: rendered targets only
  const [compare, setCompare] = useState(false);
  const targets = compare ? EXPORT_TARGETS.filter((t) => (COMPARE_TARGETS as readonly string[]).includes(t.id)) : EXPORT_TARGETS;
  const target = targets.find((t) => t.id === targetId) ?? targets[0];
  // options per target: a value of one target (py-pde's vmin list) never leaks into another
  const [perTarget, setPerTarget] = useState<Record<string, Options>>({});
  const baseOptions = perTarget[target.id] ?? startOptions(target);
  const options = compare && target.id === 'png-zip' ? { ...baseOptions, mode: 'rendered' } : baseOptions;
  const [by, setBy] = useState<'index' | 'time'>('index');
  const [range, setRange] = useState({ start: '', stop: '', step: '' });
  const [fields, setFields] = useState<string[]>([]);
  const [preview, setPreview] = useState<{ url: string; info: ExportPreview } | { error: string } | { busy: true } | null>(null);
  const [, tick] = useState(0);
  const [folderError, setFolderError] = useState<string | null>(null);
  const viewFps = useView((s) => s.fps);
  // a computed dataset (time statistics) lives in the dataset worker only: its frames go to the export worker with the job
  const [computed, setComputed] = useState<{ id: string; data: ComputedDataset } | { id: string; error: string } | null>(null);
  const computedData = computed && active && computed.id === active.id && 'data' in computed ? computed.data : undefined;
  const waitingForFrames = !!active?.computedFrom && !computedData;

  useEffect(() => {
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, []);

  const openDialog = (forCompare = false) => {
    setPerTarget({}); // start again from what the viewer shows now
    setCompare(forCompare);
    if (forCompare && !(COMPARE_TARGETS as readonly string[]).includes(targetId)) setTargetId('mp4');
    setRange({ start: '', stop: '', step: '' });
    setBy('index');
    if (!forCompare && active?.computedFrom && !(computed && computed.id === active.id && 'data' in computed)) {
      const id = active.id;
      datasetClient()
        .analysis('frames', { id, indices: active.summary.frames.map((f) => f.index) })
        .promise.then(
          (data) => setComputed({ id, data }),
          (e: Error) => setComputed({ id, error: e.message }),
        );
    }
    setOpen(true);
    if (!dlg.current?.open) dlg.current?.showModal();
  };
  const request = useExportRequest((r) => r.n);
  useEffect(() => {
    if (request > 0) openDialog(useExportRequest.getState().compare);
  }, [request]); // eslint-disable-line react-hooks/exhaustive-deps
  const close = () => {
    dlg.current?.close();
    setOpen(false);
  };

  const compareLen = open && compare ? comparisonLength() : 0;
  const datasetFrames = useMemo(() => active?.summary.frames ?? [], [active]);
  // a comparison's "frames" are the timeline positions
  const frames = useMemo(
    () => (compare ? Array.from({ length: compareLen }, (_, i) => ({ index: i, number: i, time: null })) : datasetFrames),
    [compare, compareLen, datasetFrames],
  );
  const times = useMemo(() => frames.map((f) => f.time), [frames]);
  const hasTimes = frames.length > 0 && times.every((t) => t !== null && Number.isFinite(t));
  const selection = useMemo(() => {
    try {
      const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
      return {
        indices: frameRange(
          { frames, nearestIndex: (t) => nearestIndex(times, t) },
          { by, start: num(range.start), stop: num(range.stop), step: num(range.step) },
        ),
        error: null,
      };
    } catch (e) {
      return { indices: [] as number[], error: (e as Error).message };
    }
  }, [frames, times, by, range]);
  const rangeDefaults = useMemo(() => {
    if (!frames.length) return { start: '', stop: '', step: '' };
    if (by === 'index') return { start: '0', stop: String(frames.length - 1), step: '1' };
    const ts = times as number[];
    return hasTimes ? { start: fmtNum(ts[0], 6), stop: fmtNum(ts[ts.length - 1], 6), step: fmtNum(medianSpacing(ts), 6) } : { start: '', stop: '', step: '' };
  }, [frames, times, by, hasTimes]);

  const parsed = useMemo(() => {
    try {
      return { options: resolveOptions(target, options) as Options, error: null };
    } catch (e) {
      return { options: null, error: (e as Error).message };
    }
  }, [target, options]);
  const rendered = parsed.options ? target.rendered(parsed.options as never) : false;

  const dataFields = active?.summary.fields ?? [];
  const fieldChoices = dataFields.filter((f) =>
    targetId === 'imgstore' ? (f.kind === 'scalar' && f.shape.length === 2) || (f.kind === 'rgb' && f.shape.length === 3) : true,
  );
  const shownField =
    dataFields.find((f) => f.name === options.field) ?? (typeof options.field === 'string' && 'field' in target.schema ? fieldChoices[0] : undefined);

  const jobSpec =
    parsed.options && active && selection.indices.length
      ? { target: target.id, frames: selection.indices, fields: fields.length ? fields : undefined, options: parsed.options }
      : null;
  const num = (x: string) => (x.trim() === '' ? undefined : Number(x));
  const comparison =
    open && compare && parsed.options
      ? comparisonFromState(target.id as CompareTargetId, parsed.options, { start: num(range.start), stop: num(range.stop), step: num(range.step) })
      : null;
  const jobKey = compare ? (comparison && 'job' in comparison ? JSON.stringify(comparison.job) : '') : jobSpec ? JSON.stringify(jobSpec) : '';

  // the first output frame, drawn by the same code as the export (debounced; a newer one supersedes)
  useEffect(() => {
    if (compare) {
      if (!open || !comparison || !('job' in comparison)) {
        setPreview(comparison && 'error' in comparison ? { error: comparison.error } : null);
        return;
      }
      let live = true;
      setPreview((p) => (p && 'url' in p ? p : { busy: true }));
      const timer = setTimeout(() => {
        previewComparisonExport({ datasets: comparison.datasets, job: comparison.job }).then(
          (info) => {
            if (!live) return;
            const url = URL.createObjectURL(new Blob([info.png as BlobPart], { type: 'image/png' }));
            setPreview((p) => {
              if (p && 'url' in p) URL.revokeObjectURL(p.url);
              return {
                url,
                info: {
                  png: info.png,
                  width: info.width,
                  height: info.height,
                  frame: { index: 0, number: 0, time: null },
                  field: 'comparison',
                  limits: null,
                  fixed: false,
                },
              };
            });
          },
          (e: Error) => live && e.name !== 'AbortError' && setPreview({ error: e.message }),
        );
      }, 300);
      return () => {
        live = false;
        clearTimeout(timer);
      };
    }
    if (!open || !rendered || !jobSpec || !active || waitingForFrames) {
      setPreview(null);
      return;
    }
    let live = true;
    setPreview((p) => (p && 'url' in p ? p : { busy: true }));
    const timer = setTimeout(() => {
      previewExport({
        spec: active.spec,
        scene: active.summary.sceneIndex,
        key: `${active.id}/${active.summary.sceneIndex}`,
        job: jobSpec,
        computed: computedData,
      }).then(
        (info) => {
          if (!live) return;
          const url = URL.createObjectURL(new Blob([info.png as BlobPart], { type: 'image/png' }));
          setPreview((p) => {
            if (p && 'url' in p) URL.revokeObjectURL(p.url);
            return { url, info };
          });
        },
        (e: Error) => live && e.name !== 'AbortError' && setPreview({ error: e.message }),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, rendered, jobKey, compare, waitingForFrames]); // eslint-disable-line react-hooks/exhaustive-deps

  const start = async () => {
    if (compare) {
      if (comparison && 'job' in comparison) useJobs.getState().startComparison(comparison);
      return;
    }
    if (!active || !jobSpec || waitingForFrames) return;
    let folder: DirectoryLike | undefined;
    if (jobSpec.options.store === 'folder') {
      // a Zarr folder store: where it goes is asked now (the click is the user activation the picker needs)
      try {
        folder = (await (window as FolderPickerWindow).showDirectoryPicker!({ mode: 'readwrite', id: 'framescope-zarr' })) as unknown as DirectoryLike;
      } catch (e) {
        if ((e as Error).name !== 'AbortError') setFolderError((e as Error).message);
        return;
      }
      setFolderError(null);
    }
    useJobs.getState().start({
      spec: active.spec,
      scene: active.summary.sceneIndex,
      key: `${active.id}/${active.summary.sceneIndex}`,
      dataset: active.summary.name,
      job: jobSpec,
      computed: computedData,
      folder,
    });
  };

  const setOpt = (k: string, v: unknown) => setPerTarget((p) => ({ ...p, [target.id]: { ...(p[target.id] ?? startOptions(target)), [k]: v } }));
  const previewLimits = preview && 'info' in preview ? preview.info.limits : null;

  const control = (o: OptionSpec & { key: string }) => {
    const val = options[o.key];
    const id = `export-opt-${o.key}`;
    if (o.picker === 'field')
      return (
        <select id={id} data-testid={id} style={S.control} value={String(val ?? '')} onChange={(e) => setOpt(o.key, e.target.value)}>
          {fieldChoices.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name} ({f.kind}
              {f.unit ? `, ${f.unit}` : ''})
            </option>
          ))}
        </select>
      );
    if (o.type === 'boolean') return <input id={id} data-testid={id} type="checkbox" checked={!!val} onChange={(e) => setOpt(o.key, e.target.checked)} />;
    if (o.type === 'enum')
      return (
        <select
          id={id}
          data-testid={id}
          style={S.control}
          value={String(val)}
          onChange={(e) => setOpt(o.key, typeof o.default === 'number' ? Number(e.target.value) : e.target.value)}
        >
          {o.choices.map((c) => (
            <option key={String(c)} value={String(c)}>
              {o.labels?.[String(c)] ?? String(c)}
            </option>
          ))}
        </select>
      );
    if (o.type === 'number' || o.type === 'auto-number') {
      const auto =
        o.type === 'auto-number'
          ? previewLimits && (o.key === 'vmin' || o.key === 'vmax')
            ? `auto (data range: ${fmtNum(previewLimits[0])} … ${fmtNum(previewLimits[1])})`
            : `auto (${o.auto})`
          : undefined;
      return (
        <input
          id={id}
          data-testid={id}
          style={S.control}
          type="number"
          step="any"
          min={o.type === 'number' ? o.min : undefined}
          max={o.type === 'number' ? o.max : undefined}
          placeholder={auto}
          title={auto}
          value={val === null || val === undefined ? '' : String(val)}
          onChange={(e) => setOpt(o.key, e.target.value === '' ? (o.type === 'auto-number' ? null : '') : Number(e.target.value))}
        />
      );
    }
    if (o.type === 'json') {
      const text =
        typeof val === 'string'
          ? val
          : val === null || val === undefined || (typeof val === 'object' && !Array.isArray(val) && !Object.keys(val).length)
            ? ''
            : JSON.stringify(val);
      const auto = o.default === null ? 'auto: the data range of each field over the exported frames' : '{}';
      return (
        <input
          id={id}
          data-testid={id}
          style={S.control}
          type="text"
          placeholder={auto}
          title={o.help ?? auto}
          value={text}
          onChange={(e) => setOpt(o.key, e.target.value)}
        />
      );
    }
    return (
      <input
        id={id}
        data-testid={id}
        style={S.control}
        type="text"
        placeholder={o.key === 'name' ? active?.summary.name.replace(/\.[A-Za-z0-9]{1,5}$/, '') : o.help}
        value={String(val ?? '')}
        onChange={(e) => setOpt(o.key, e.target.value)}
      />
    );
  };

  const visible = target.options.filter(
    (o) =>
      (!o.applies || o.applies(options)) &&
      !(compare ? COMPARE_HIDDEN.has(o.key) : meaningless(o.key, shownField)) &&
      o.group !== 'timing' &&
      (o.key !== 'store' || canPickFolder()),
  );
  const timing = target.options.filter((o) => o.group === 'timing' && (!o.applies || o.applies(options)));
  const isMovie = 'fps' in target.schema && 'frameDurationMs' in target.schema;
  let timingNote = '';
  if (isMovie && parsed.options) {
    try {
      timingNote = movieTiming(targetId, parsed.options as never).note;
    } catch (e) {
      timingNote = (e as Error).message;
    }
  }
  const showFields = !compare && !('field' in target.schema);

  return (
    <>
      <button
        data-testid="export"
        disabled={!active}
        title={active?.computedFrom ? 'a computed statistics dataset: its frames are handed to the export worker' : undefined}
        onClick={() => openDialog(false)}
      >
        Export…
      </button>
      <dialog ref={dlg} data-testid="export-dialog" style={S.dialog} onClose={() => setOpen(false)}>
        <h3 style={{ margin: '4px 0 8px' }} data-testid="export-title">
          {compare
            ? `Export the comparison (${comparison && 'job' in comparison ? comparison.job.panels.map((p) => p.label).join('; ') : 'panels'})`
            : `Export ${active?.summary.name}`}
        </h3>
        {compare && (
          <p style={{ ...S.muted, margin: '0 0 6px' }}>
            The whole grid of panels, each with its colour bar and label, under the common time label; frames are timeline positions.
            {comparison && 'error' in comparison && <span style={S.error}> {comparison.error}</span>}
          </p>
        )}
        <div style={S.cols}>
          <div>
            <label style={S.label}>
              Target
              <select data-testid="export-target" value={target.id} onChange={(e) => setTargetId(e.target.value)} style={{ width: 300 }}>
                {targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
            </label>
            {target.help && <p style={{ ...S.muted, margin: '2px 0' }}>{target.help}</p>}
            <fieldset style={S.fieldset}>
              <legend>
                Frames: <span data-testid="export-frame-count">{selection.indices.length}</span> of {frames.length}
              </legend>
              <div style={S.grid}>
                <label style={S.label}>
                  Select by
                  <select style={S.control} value={by} onChange={(e) => setBy(e.target.value as 'index' | 'time')}>
                    <option value="index">index (0 = first)</option>
                    <option value="time" disabled={!hasTimes || compare} title="nearest frame per time step">
                      time
                    </option>
                  </select>
                </label>
                {(['start', 'stop', 'step'] as const).map((k) => (
                  <label key={k} style={S.label}>
                    {k}
                    <input
                      data-testid={`export-range-${k}`}
                      style={S.control}
                      type="number"
                      step="any"
                      placeholder={rangeDefaults[k]}
                      value={range[k]}
                      onChange={(e) => setRange((r) => ({ ...r, [k]: e.target.value }))}
                    />
                  </label>
                ))}
              </div>
              {selection.error && <p style={S.error}>{selection.error}</p>}
            </fieldset>
            {isMovie && (
              <fieldset style={S.fieldset}>
                <legend>Timing</legend>
                {timing.map((o) => (
                  <label key={o.key} style={S.label} title={o.help}>
                    {o.label}
                    {control(o)}
                  </label>
                ))}
                <p style={{ ...S.muted, margin: '2px 0' }} data-testid="export-timing">
                  {timingNote}
                  {Number(options.fps) === viewFps && options.frameDurationMs == null
                    ? ` — the viewer's playback rate`
                    : ` (the viewer plays at ${viewFps} fps)`}
                </p>
              </fieldset>
            )}
            {showFields && (
              <fieldset style={S.fieldset}>
                <legend>Fields (none ticked = every field the target can store)</legend>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 14px', maxHeight: 78, overflow: 'auto' }}>
                  {dataFields
                    .filter((f) => !f.name.includes('/'))
                    .map((f) => (
                      <label key={f.name} style={{ ...S.label, justifyContent: 'flex-start' }}>
                        <input
                          type="checkbox"
                          checked={fields.includes(f.name)}
                          onChange={(e) => setFields((s) => (e.target.checked ? [...s, f.name] : s.filter((x) => x !== f.name)))}
                        />
                        {f.name} <span style={S.muted}>({f.kind})</span>
                      </label>
                    ))}
                </div>
              </fieldset>
            )}
            <fieldset style={S.fieldset}>
              <legend>Options</legend>
              <div style={S.grid}>
                {visible.map((o) => (
                  <label key={o.key} style={S.label} title={o.help}>
                    {o.label}
                    {control(o)}
                  </label>
                ))}
              </div>
            </fieldset>
            {folderError && <p style={S.error}>{folderError}</p>}
            {parsed.error && (
              <p style={S.error} data-testid="export-problem">
                {parsed.error}
              </p>
            )}
          </div>
          <div>
            {(rendered || compare) && (
              <figure style={{ margin: '0 0 8px' }}>
                {preview && 'url' in preview ? (
                  <img
                    data-testid="export-preview"
                    src={preview.url}
                    alt={`first output frame: ${preview.info.field}, frame ${preview.info.frame.number}`}
                    style={S.preview}
                  />
                ) : (
                  <div style={{ ...S.muted, height: 120, display: 'grid', placeItems: 'center', border: '1px dashed #ccd' }}>
                    {preview && 'error' in preview ? <span style={S.error}>{preview.error}</span> : 'drawing the first output frame…'}
                  </div>
                )}
                {preview && 'info' in preview && (
                  <figcaption style={S.muted} data-testid="export-preview-caption">
                    {compare
                      ? `First output frame of the comparison (${preview.info.width}×${preview.info.height} px)`
                      : `First output frame (frame ${preview.info.frame.number}, ${preview.info.width}×${preview.info.height} px)`}
                    {preview.info.limits &&
                      ` · colour limits ${fmtNum(preview.info.limits[0])} … ${fmtNum(preview.info.limits[1])} ${preview.info.fixed ? 'for every frame' : 'of this frame (each frame its own)'}`}
                  </figcaption>
                )}
              </figure>
            )}
            <div className="jobs" data-testid="export-jobs">
              {jobs.map((j) => {
                const left = eta(j);
                return (
                  <div key={j.id} data-status={j.status} style={{ borderTop: '1px solid #dde', padding: '4px 0' }}>
                    {j.dataset} → {j.target}: {j.status === 'running' && <progress max={j.total || 1} value={j.done} />}{' '}
                    <span data-testid="export-progress">{progressText(j)}</span>
                    {left !== null && ` · ${left.toFixed(0)} s left`}
                    {j.status === 'running' && <button onClick={() => useJobs.getState().cancel(j.id)}>Cancel</button>}
                    {j.error && <div style={S.error}>{j.error}</div>}
                    {j.files && (
                      <div style={S.muted}>
                        {j.files.map((f) => `${f.path} (${bytesLabel(f.size)}${f.where === 'disk' ? ', on disk' : ''})`).join(', ')}
                        {j.files.some((f) => f.note) && (
                          <div>
                            {j.files
                              .filter((f) => f.note)
                              .map((f) => f.note)
                              .join('; ')}
                          </div>
                        )}
                      </div>
                    )}
                    {j.status === 'done' && j.files?.some((f) => f.where !== 'folder') && (
                      <>
                        <button
                          data-testid="export-save"
                          onClick={() => void save(j.id, `${j.dataset}-${j.target}`, true)}
                          title="choose where to save (File System Access API where the browser has it)"
                        >
                          Save…
                        </button>
                        <button data-testid="export-download" onClick={() => void save(j.id, `${j.dataset}-${j.target}`, false)}>
                          Download
                        </button>
                      </>
                    )}
                    {j.status !== 'running' && (
                      <button data-testid="export-dismiss" onClick={() => useJobs.getState().dismiss(j.id)} title="remove from the list (and forget the files)">
                        Dismiss
                      </button>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        <div className="actions">
          <button onClick={close}>Close</button>
          {computed && active && computed.id === active.id && 'error' in computed && <span style={S.error}>{computed.error}</span>}
          <button
            data-testid="export-start"
            onClick={() => void start()}
            disabled={compare ? !(comparison && 'job' in comparison) : !jobSpec || waitingForFrames}
          >
            Export {selection.indices.length} frames{compare ? ' of the comparison' : ''}
          </button>
        </div>
      </dialog>
    </>
  );
}
