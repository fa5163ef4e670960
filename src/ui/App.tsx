import { useEffect } from 'react';
import { restoreFromHash, restoredDatasetName, useActiveDataset, useDatasets } from '../state/datasets';
import { compareFromHash, compareToHash, useCompare } from '../state/compare';
import { fromHash, toHash, useView } from '../state/view';
import { CompareTimeline, CompareView, LayoutPicker } from './CompareView';
import { DatasetBar } from './DatasetBar';
import { DropZone } from './DropZone';
import { ErrorBanner } from './ErrorBanner';
import { ExportDialog } from './ExportDialog';
import { FrameView } from './FrameView';
import { MetadataPanel } from './MetadataPanel';
import { useOpenUrlFromHash } from './OpenUrl';
import { ProbePanel } from './ProbePanel';
import { SidePanels } from './SidePanels';
import { Timeline } from './Timeline';
import { ViewControls } from './ViewControls';
import { sampleSpecs } from './samples';

// the view state the page was loaded with: applied once to the dataset it names
restoreFromHash(fromHash(location.hash));

/** Open the built-in samples once (offline: they are served from our own origin). */
async function openSamples(): Promise<void> {
  const specs = await sampleSpecs().catch(() => []);
  if (!specs.length) return;
  const want = restoredDatasetName();
  const ordered = want ? [...specs].sort((a, b) => Number(b.name === want) - Number(a.name === want)) : specs;
  // in the background: a dataset the user (or a #url= link) opened meanwhile stays the one shown
  await useDatasets.getState().openSpecs(ordered, { activate: false });
  compareFromHash(startHash);
}

const startHash = location.hash;

let samplesStarted = false;
/** how long the URL hash may lag the view state: while playing, and while scrubbing */
const HASH_PLAYING_MS = 1000;
const HASH_MS = 80;

export function App() {
  const active = useActiveDataset();
  const layout = useCompare((c) => c.layout);
  useOpenUrlFromHash();

  useEffect(() => {
    if (samplesStarted) return;
    samplesStarted = true;
    void openSamples();
  }, []);

  // Mirror the view state in the URL hash (replaceState: scrubbing does not flood the history). Each
  // replaceState is a same-document navigation, which in Chromium costs several ms of main thread
  // (the favicon is loaded and parsed again): written at most every HASH_PLAYING_MS while playing and
  // every HASH_MS otherwise (a single change at once, a burst of scrubbing at the end), and on pause.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasPlaying = useView.getState().playing;
    let lastWrite = -Infinity;
    const write = () => {
      timer = undefined;
      lastWrite = performance.now();
      const h = [toHash(useView.getState()), compareToHash()].filter(Boolean).join('&');
      if (('#' + h).replace(/^#$/, '') !== location.hash) history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
    };
    const mirror = () => {
      const playing = useView.getState().playing;
      const paused = wasPlaying && !playing;
      wasPlaying = playing;
      if (paused) {
        clearTimeout(timer);
        write();
      } else if (playing) timer ??= setTimeout(write, HASH_PLAYING_MS);
      else if (performance.now() - lastWrite >= HASH_MS) {
        clearTimeout(timer);
        write();
      } else timer ??= setTimeout(write, HASH_MS);
    };
    const a = useView.subscribe(mirror);
    const b = useCompare.subscribe(mirror);
    return () => {
      clearTimeout(timer);
      a();
      b();
    };
  }, []);

  return (
    <DropZone>
      <div className="app">
        <header className="topbar">
          <h1>framescope</h1>
          <DatasetBar />
          <LayoutPicker />
          <ExportDialog />
        </header>
        <ErrorBanner />
        <main className="main">
          <section className="viewer">
            {layout > 1 ? <CompareView /> : <FrameView />}
            {layout > 1 ? <CompareTimeline /> : <Timeline />}
          </section>
          <aside className="sidebar">
            <ViewControls />
            <ProbePanel />
            <MetadataPanel />
            <SidePanels />
          </aside>
        </main>
        <footer className="footer">
          Everything is decoded on this machine; no file leaves the browser.{' '}
          {active
            ? `${active.summary.format} · ${active.summary.frames.length} frames · opened in ${active.summary.openMs.toFixed(0)} ms`
            : 'Drop files or folders anywhere.'}
        </footer>
      </div>
    </DropZone>
  );
}
