import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useActiveDataset, useDatasets } from '../state/datasets';
import { specsFromItems } from './DropZone';
import { OpenUrl } from './OpenUrl';

/** File and folder pickers, the list of open datasets and the scene selector. */
export function DatasetBar() {
  const { datasets, activeId, loading, setActive, close, openSpecs, selectScene } = useDatasets(
    useShallow((s) => ({
      datasets: s.datasets,
      activeId: s.activeId,
      loading: s.loading,
      setActive: s.setActive,
      close: s.close,
      openSpecs: s.openSpecs,
      selectScene: s.selectScene,
    })),
  );
  const active = useActiveDataset();
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const onPick = async (list: FileList | null, asFolder: boolean) => {
    if (!list?.length) return;
    const items = Array.from(list).map((f) => ({ path: (asFolder && f.webkitRelativePath) || f.name, file: f }));
    await openSpecs(specsFromItems(items));
  };
  return (
    <div className="dataset-bar">
      <label className="button">
        Open files…
        <input
          ref={files}
          data-testid="open-files"
          type="file"
          multiple
          hidden
          onChange={(e) => void onPick(e.target.files, false).then(() => (e.target.value = ''))}
        />
      </label>
      <label className="button">
        Open folder…
        <input
          ref={(el) => {
            folder.current = el;
            el?.setAttribute('webkitdirectory', '');
          }}
          data-testid="open-folder"
          type="file"
          multiple
          hidden
          onChange={(e) => void onPick(e.target.files, true).then(() => (e.target.value = ''))}
        />
      </label>
      <OpenUrl />
      <select data-testid="datasets" value={activeId ?? ''} onChange={(e) => setActive(e.target.value)} disabled={!datasets.length} title="open datasets">
        {datasets.map((d) => (
          <option key={d.id} value={d.id}>
            {d.label} ({d.summary.format})
          </option>
        ))}
      </select>
      {active && active.summary.scenes.length > 1 && (
        <select data-testid="scene" value={active.summary.sceneIndex} onChange={(e) => void selectScene(active.id, Number(e.target.value))} title="scene">
          {active.summary.scenes.map((s, i) => (
            <option key={s} value={i}>
              {s}
            </option>
          ))}
        </select>
      )}
      {active && (
        <button onClick={() => close(active.id)} title="close this dataset">
          Close
        </button>
      )}
      {loading.length > 0 && <span className="loading">Opening {loading.map((l) => l.name).join(', ')}…</span>}
    </div>
  );
}
