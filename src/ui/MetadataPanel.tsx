import { memo, useEffect, useMemo, useState } from 'react';
import { useActiveDataset } from '../state/datasets';
import { useView } from '../state/view';
import { drawnStore } from '../state/drawn';

/** Flatten nested metadata into path → short value rows for searching. */
export function flatten(obj: unknown, prefix = '', out: [string, string][] = [], depth = 0): [string, string][] {
  if (out.length > 5000) return out;
  if (obj !== null && typeof obj === 'object' && !ArrayBuffer.isView(obj) && depth < 8) {
    const entries = Array.isArray(obj) ? (obj.length > 64 ? [] : obj.map((v, i) => [String(i), v] as const)) : Object.entries(obj as object);
    if (Array.isArray(obj) && obj.length > 64) out.push([prefix, `[${obj.length} items] ${JSON.stringify(obj.slice(0, 8)).slice(0, 120)}…`]);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    return out;
  }
  let s: string;
  if (ArrayBuffer.isView(obj)) s = `[${(obj as unknown as ArrayLike<number>).length} values]`;
  else if (typeof obj === 'string') s = obj;
  else s = JSON.stringify(obj) ?? String(obj);
  out.push([prefix, s.length > 300 ? s.slice(0, 300) + '…' : s]);
  return out;
}

function safeJson(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : typeof v === 'bigint' ? Number(v) : v), 2);
}

/** Dataset properties and the current frame's attributes: searchable, copyable as JSON. */
export function MetadataPanel() {
  const active = useActiveDataset();
  const viewFrame = useView((s) => s.frame);
  const [frame, setFrame] = useState(viewFrame);
  // frame attributes follow the shown frame, but not during playback (nobody reads a table at 30 fps)
  const playing = useView((s) => s.playing);
  const liveAttributes = drawnStore((s) => s.attributes);
  const [attributes, setAttributes] = useState(liveAttributes);
  useEffect(() => {
    if (!playing) {
      setAttributes(liveAttributes);
      setFrame(viewFrame);
    }
  }, [playing, liveAttributes, viewFrame]);
  const [q, setQ] = useState('');
  const [copied, setCopied] = useState(false);
  const info = active?.summary.frames[Math.min(frame, (active?.summary.frames.length ?? 1) - 1)];
  const datasetDoc = useMemo(
    () =>
      active
        ? {
            dataset: {
              format: active.summary.format,
              name: active.summary.name,
              frames: active.summary.frames.length,
              timeUnit: active.summary.timeUnit,
              fields: active.summary.fields,
              warnings: active.summary.warnings,
            },
            metadata: active.summary.metadata,
          }
        : null,
    [active],
  );
  // the dataset part is flattened once per dataset, only the frame part per frame
  const datasetRows = useMemo(() => (datasetDoc ? flatten(datasetDoc) : []), [datasetDoc]);
  const frameRows = useMemo(() => flatten({ frame: { info, attributes } }), [info, attributes]);
  const rows = useMemo(() => [...datasetRows, ...frameRows], [datasetRows, frameRows]);
  const doc = datasetDoc && { ...datasetDoc, frame: { info, attributes } };
  const needle = q.trim().toLowerCase();
  const shown = useMemo(() => (needle ? rows.filter(([k, v]) => k.toLowerCase().includes(needle) || v.toLowerCase().includes(needle)) : rows), [rows, needle]);
  if (!active || !doc) return null;
  return (
    <div className="panel metadata" data-testid="metadata">
      <h2>
        Metadata{' '}
        <button
          onClick={async () => {
            await navigator.clipboard?.writeText(safeJson(doc)).catch(() => undefined);
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          }}
        >
          {copied ? 'Copied' : 'Copy JSON'}
        </button>
      </h2>
      {active.summary.warnings.length > 0 && (
        <ul className="warnings" data-testid="warnings">
          {active.summary.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      <input data-testid="metadata-search" type="search" placeholder="search keys and values" value={q} onChange={(e) => setQ(e.target.value)} />
      <Rows shown={shown} />
    </div>
  );
}

/**
 * The key/value table, rendered again only when its rows change: the panel itself re-renders on
 * every frame drawn (during playback too), and reconciling 400 rows each time cost more main-thread
 * time than drawing the frame.
 */
const Rows = memo(function Rows({ shown }: { shown: [string, string][] }) {
  return (
    <div className="kv">
      <table>
        <tbody>
          {shown.slice(0, 400).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length > 400 && <p className="muted">{shown.length - 400} more rows: refine the search</p>}
    </div>
  );
});
