/**
 * PhiFlow Scene reader. A tree holding one scene folder (files `<field>_<frame>.npz`, optional
 * description.json, src/, logs) opens as that scene; a tree holding several scene folders (e.g. a
 * parent of `sim_000000/`, `sim_000001/`, … at any depth) opens as the first one (sorted by path),
 * with `scenes` listing all of them, each with its own `open()`.
 */
import { FormatError } from '../errors';
import type { FrameSource, SourceTree } from '../types';
import { sceneDirs } from './names';
import { openScene, type SceneEntry } from './scene';

export async function open(tree: SourceTree): Promise<FrameSource> {
  const dirs = sceneDirs(tree.files.map((f) => f.path));
  if (!dirs.length) throw new FormatError('phiflow', tree.name, 'no PhiFlow field files (<field>_<frame:06d>.npz) found');
  const scenes: SceneEntry[] = [];
  for (const dir of dirs) {
    scenes.push({ name: dir || tree.name, open: () => openScene(tree, dir, scenes) });
  }
  return openScene(tree, dirs[0], scenes);
}
