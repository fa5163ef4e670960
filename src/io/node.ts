import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { SourceFile, SourceTree } from '../core/types';

/** Node only (tests, scripts, bench): a SourceTree for a file or a folder, read lazily with positional reads. */
export async function sourceTreeFromPath(path: string): Promise<SourceTree> {
  const st = await stat(path);
  const files: SourceFile[] = [];
  if (st.isDirectory()) {
    const walk = async (dir: string): Promise<void> => {
      const ents = await readdir(dir, { withFileTypes: true });
      for (const e of ents) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) files.push(nodeSourceFile(relative(path, p).split(sep).join('/'), p, (await stat(p)).size));
      }
    };
    await walk(path);
  } else {
    files.push(nodeSourceFile(basename(path), path, st.size));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: basename(path), files };
}

export function nodeSourceFile(rel: string, abs: string, size: number): SourceFile {
  return {
    path: rel,
    size,
    async read(start = 0, end = size) {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      const fh = await open(abs, 'r');
      try {
        const buf = new Uint8Array(e - s);
        let off = 0;
        while (off < buf.length) {
          const { bytesRead } = await fh.read(buf, off, buf.length - off, s + off);
          if (bytesRead === 0) break;
          off += bytesRead;
        }
        return off === buf.length ? buf : buf.subarray(0, off);
      } finally {
        await fh.close();
      }
    },
  };
}
