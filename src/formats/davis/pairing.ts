import type { PairingRule } from '../../io/group';

/** A DaVis `X.set` goes with its folder `X/`; loose `B00001.*` buffers form one set named "buffers". */
export const davisPairing: PairingRule = (name, topFolders) => {
  const stem = name.replace(/\.[^.]*$/, '');
  if (/\.set$/i.test(name) && topFolders.has(stem)) return stem;
  if (/^B\d{5}\.[a-z0-9]+$/i.test(name)) return 'buffers';
  return null;
};
