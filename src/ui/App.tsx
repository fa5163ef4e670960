import { useEffect, useRef } from 'react';
import { useActiveDataset, useDatasets } from '../state/datasets';
import { fromHash, toHash, useView, DEFAULT_VIEW, type ViewState } from '../state/view';
import { DatasetBar } from './DatasetBar';
import { DropZone } from './DropZone';
import { ErrorBanner } from './ErrorBanner';
import { ExportDialog } from './ExportDialog';
import { FrameView } from './FrameView';
import { MetadataPanel } from './MetadataPanel';
import { useOpenUrlFromHash } from './OpenUrl';
import { SidePanels } from './SidePanels';
import { Timeline } from './Timeline';
import { ViewControls } from './ViewControls';
import { sampleSpecs } from './samples';

const restored = fromHash(location.hash);
let restoredUsed = false;

export function App() {
  const active = useActiveDataset();
  const openSpecs = useDatasets((s) => s.openSpecs);
  const shownId = useRef<string | null>(null);
  useOpenUrlFromHash();

  // Open the built-in samples once (offline: they are served from our own origin).
  useEffect(() => {
    let done = false;
    void (async () => {
      const specs = await sampleSpecs().catch(() => []);
      if (done || !specs.length) return;
      const want = restored.dataset;
      const ordered = want ? [...specs].sort((a, b) => Number(b.name === want) - Number(a.name === want)) : specs;
      await openSpecs(ordered);
    })();
    return () => {
      done = true;
    };
  }, [openSpecs]);

  // A new active dataset: restore the hash state if it names this dataset, else sensible defaults.
  useEffect(() => {
    if (!active || shownId.current === active.id) return;
    shownId.current = active.id;
    const s = active.summary;
    // the hash restores the view of the dataset it names, once (after a reload)
    const fromUrl = restored.dataset === s.name && !restoredUsed ? restored : {};
    if (fromUrl === restored) restoredUsed = true;
    const fieldNames = s.fields.map((f) => f.name);
    const field = fromUrl.field && fieldNames.includes(fromUrl.field) ? fromUrl.field : fieldNames.find((n) => !n.includes('/')) ?? fieldNames[0] ?? '';
    const next: Partial<ViewState> = { ...DEFAULT_VIEW, ...fromUrl, dataset: s.name, field };
    next.frame = Math.max(0, Math.min(s.frames.length - 1, next.frame ?? 0));
    useView.getState().set({ ...next, playing: false });
    if (fromUrl.scene && fromUrl.scene !== s.sceneIndex && fromUrl.scene < s.scenes.length) void useDatasets.getState().selectScene(active.id, fromUrl.scene);
  }, [active]);

  // Another scene of the same dataset: keep the view where it still applies.
  useEffect(() => {
    if (!active) return;
    const s = active.summary;
    const v = useView.getState();
    const names = s.fields.map((f) => f.name);
    const patch: Partial<ViewState> = { scene: s.sceneIndex };
    if (!names.includes(v.field)) patch.field = names.find((n) => !n.includes('/')) ?? names[0] ?? '';
    if (v.frame >= s.frames.length) patch.frame = Math.max(0, s.frames.length - 1);
    v.set(patch);
  }, [active?.summary]); // eslint-disable-line react-hooks/exhaustive-deps

  // Mirror the view state in the URL hash (replaceState: scrubbing does not flood the history).
  useEffect(
    () =>
      useView.subscribe((v) => {
        const h = toHash(v);
        if (('#' + h).replace(/^#$/, '') !== location.hash) history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
      }),
    [],
  );

  return (
    <DropZone>
      <div className="app">
        <header className="topbar">
          <h1>framescope</h1>
          <DatasetBar />
          <ExportDialog />
        </header>
        <ErrorBanner />
        <main className="main">
          <section className="viewer">
            <FrameView />
            <Timeline />
          </section>
          <aside className="sidebar">
            <ViewControls />
            <MetadataPanel />
            <SidePanels />
          </aside>
        </main>
        <footer className="footer">
          Everything is decoded on this machine; no file leaves the browser.{' '}
          {active ? `${active.summary.format} · ${active.summary.frames.length} frames · opened in ${active.summary.openMs.toFixed(0)} ms` : 'Drop files or folders anywhere.'}
        </footer>
      </div>
    </DropZone>
  );
}
