import { useEffect, useRef, useState } from 'react';
import type { TreeSpec } from '../io/spec';
import { hashWithUrl, urlFromHash } from '../io/url-hash';
import { useActiveDataset, useDatasets } from '../state/datasets';
import { useView } from '../state/view';

/** The address as the page was loaded (before the view state is mirrored into the hash). */
const initialHash = typeof location !== 'undefined' ? location.hash : '';
/** the hash's link is opened once per page load (also under StrictMode's double effects) */
let hashLinkOpened = false;

const linkSpec = (url: string): TreeSpec => ({ kind: 'url', url: new URL(url.trim(), location.href).href });

function fmtBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(0)} kB` : `${(n / 1048576).toFixed(1)} MB`;
}

/** A link to a file or folder on an HTTP(S) server or S3 bucket, opened like a drop; progress while it opens. */
export function OpenUrl() {
  const [url, setUrl] = useState('');
  const [opening, setOpening] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  /** what the last link's open came to when it did not open: "cancelled" */
  const [status, setStatus] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const openSpecs = useDatasets((s) => s.openSpecs);
  const progress = useDatasets((s) => (opening ? s.progress[opening] : undefined));
  const active = useActiveDataset();
  const open = async () => {
    if (!url.trim()) return;
    let spec: TreeSpec;
    try {
      spec = linkSpec(url);
    } catch {
      useDatasets.setState({ errors: [{ path: url, reason: 'not a valid link (give the full address, starting with http:// or https://)' }] });
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setStatus(null);
    setOpening(spec.kind === 'url' ? spec.url : null);
    try {
      await openSpecs([spec], { signal: ctl.signal });
    } finally {
      if (abort.current === ctl) abort.current = null;
      setOpening(null);
      if (ctl.signal.aborted) setStatus('cancelled');
    }
  };
  // the listing and the reads in flight stop in the worker; datasets already open stay
  const cancel = () => abort.current?.abort();
  const copy = async () => {
    await navigator.clipboard?.writeText(location.href).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <form
      className="open-url"
      style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}
      onSubmit={(e) => {
        e.preventDefault();
        void open();
      }}
    >
      <input
        data-testid="open-url"
        type="url"
        placeholder="link to a file or folder (http, S3)"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        title="open a dataset from a web server or S3 bucket by its link"
      />
      <button type="submit" data-testid="open-url-button" disabled={!!opening}>
        Open
      </button>
      {opening && (
        <span className="loading" data-testid="open-url-progress">
          {progress ? `${fmtBytes(progress.bytes)} · ${progress.requests} requests` : 'listing…'}
        </span>
      )}
      {opening && (
        <button type="button" data-testid="open-url-cancel" onClick={cancel} title="stop opening this link">
          Cancel
        </button>
      )}
      {!opening && status && (
        <span className="muted" data-testid="open-url-status">
          {status}
        </span>
      )}
      {active?.spec.kind === 'url' && (
        <button type="button" data-testid="copy-link" onClick={() => void copy()} title="copy a link that opens this dataset at this view">
          {copied ? 'Copied' : 'Copy link'}
        </button>
      )}
    </form>
  );
}

/**
 * Open `#url=<link>` once on load, keep that dataset the active one when the built-in samples finish
 * after it, and keep the active link's `url=` in the address while the view state is mirrored there
 * (so the address bar is a shareable link).
 */
export function useOpenUrlFromHash(): void {
  useEffect(() => {
    const unsubView = useView.subscribe(() =>
      queueMicrotask(() => {
        const d = useDatasets.getState();
        const spec = d.datasets.find((x) => x.id === d.activeId)?.spec;
        const want = spec?.kind === 'url' ? spec.url : null;
        if (urlFromHash(location.hash) === want) return;
        const h = hashWithUrl(location.hash, want);
        history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
      }),
    );
    const link = urlFromHash(initialHash);
    let unsubActive = () => undefined as void;
    if (link && !hashLinkOpened) {
      hashLinkOpened = true;
      const spec = linkSpec(link);
      void useDatasets
        .getState()
        .openSpecs([spec])
        .then((ok) => {
          const id = ok[0]?.id;
          if (!id || !useDatasets.getState().loading.length) return;
          unsubActive = useDatasets.subscribe((s) => {
            if (s.loading.length) return;
            unsubActive();
            if (s.datasets.some((x) => x.id === id) && s.activeId !== id) s.setActive(id);
          });
        });
    }
    return () => {
      unsubView();
      unsubActive();
    };
  }, []);
}
