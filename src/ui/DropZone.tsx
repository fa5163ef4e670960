import { useState, type ReactNode } from 'react';
import { filesFromDataTransfer } from '../io/browser';
import { PAIRING_RULES } from '../formats/pairing';
import { groupDropped } from '../io/group';
import type { TreeSpec } from '../io/spec';
import { useDatasets } from '../state/datasets';

/** Turn picked/dropped files into one TreeSpec per dataset (top-level folders, loose files, sets). */
export function specsFromItems(items: { path: string; file: File }[]): TreeSpec[] {
  return groupDropped(items, PAIRING_RULES).map((g) => {
    // a dropped folder becomes the tree root: paths inside it, as sourceTreeFromPath gives them
    const strip = g.items.every((i) => i.path.startsWith(g.name + '/')) ? g.name.length + 1 : 0;
    return { kind: 'files', name: g.name, items: g.items.map((i) => ({ path: i.path.slice(strip), file: i.file })) };
  });
}

/** The whole window accepts drops of files and folders (folders walked with readEntries). */
export function DropZone({ children }: { children: ReactNode }) {
  const [over, setOver] = useState(false);
  const openSpecs = useDatasets((s) => s.openSpecs);
  return (
    <div
      className={over ? 'dropzone over' : 'dropzone'}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={async (e) => {
        e.preventDefault();
        setOver(false);
        const items = await filesFromDataTransfer(e.dataTransfer);
        if (items.length) await openSpecs(specsFromItems(items));
      }}
    >
      {children}
      {over && <div className="drop-hint">Drop files or folders to open them (decoded locally, nothing is uploaded)</div>}
    </div>
  );
}
