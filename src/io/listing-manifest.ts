import { remoteError } from './http-request';

/** The manifest a lab puts beside its data (`npm run manifest -- DIR` writes it). */
export const MANIFEST_NAME = 'framescope.json';

export interface ManifestFile {
  /** relative, '/'-separated */
  path: string;
  size: number;
  /** optional validators, checked against every response */
  etag?: string;
  mtime?: string;
  /** optional own address (absolute, or relative to the manifest): a pre-signed object URL, another host */
  url?: string;
}

export interface Manifest {
  framescope?: number;
  name?: string;
  files: ManifestFile[];
}

/** A relative path without '.', '..' or empty segments. */
export function isSafeRelativePath(p: string): boolean {
  if (!p || p.startsWith('/') || p.includes('\\')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Parse and check a manifest; a FormatError naming the URL says what is wrong. */
export function parseManifest(text: string, url: string): Manifest {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw remoteError(url, `is not a framescope manifest: not JSON (${(e as Error).message})`);
  }
  const m = j as Manifest;
  if (!m || typeof m !== 'object' || !Array.isArray(m.files)) throw remoteError(url, 'is not a framescope manifest: it has no "files" list');
  if (m.name !== undefined && typeof m.name !== 'string') throw remoteError(url, 'is not a framescope manifest: "name" is not a string');
  const seen = new Set<string>();
  m.files.forEach((f, i) => {
    if (!f || typeof f !== 'object') throw remoteError(url, `manifest entry ${i} is not an object`);
    if (typeof f.path !== 'string' || !isSafeRelativePath(f.path))
      throw remoteError(url, `manifest entry ${i} has no safe relative "path" (${JSON.stringify(f.path)})`);
    if (typeof f.size !== 'number' || !Number.isSafeInteger(f.size) || f.size < 0)
      throw remoteError(url, `manifest entry ${f.path} has no valid "size" (${JSON.stringify(f.size)})`);
    if (f.url !== undefined && typeof f.url !== 'string') throw remoteError(url, `manifest entry ${f.path} has a "url" that is not a string`);
    if (seen.has(f.path)) throw remoteError(url, `manifest lists ${f.path} twice`);
    seen.add(f.path);
  });
  return m;
}
