import type { SourceFile, SourceTree } from './types';

/** First bytes of a file (for magic-number sniffing). */
export async function head(f: SourceFile, n = 64): Promise<Uint8Array> {
  return f.read(0, Math.min(n, f.size));
}

export function startsWith(bytes: Uint8Array, magic: number[] | string, at = 0): boolean {
  const m = typeof magic === 'string' ? Array.from(magic, (c) => c.charCodeAt(0)) : magic;
  if (bytes.length < at + m.length) return false;
  for (let i = 0; i < m.length; i++) if (bytes[at + i] !== m[i]) return false;
  return true;
}

export function findFile(tree: SourceTree, pred: (path: string) => boolean): SourceFile | undefined {
  return tree.files.find((f) => pred(f.path));
}
