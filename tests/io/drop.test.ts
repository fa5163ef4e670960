import { describe, expect, it } from 'vitest';
import { filesFromDataTransfer } from '../../src/io/browser';

/** A fake drag-and-drop entry tree whose directory readers hand out at most 100 entries per call, like Chromium's. */
function dir(name: string, children: unknown[]) {
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath: '/' + name,
    createReader() {
      let pos = 0;
      return {
        readEntries(ok: (e: unknown[]) => void) {
          const batch = children.slice(pos, pos + 100);
          pos += batch.length;
          setTimeout(() => ok(batch), 0);
        },
      };
    },
  };
}
function file(name: string, text = name) {
  return { isFile: true, isDirectory: false, name, fullPath: '/' + name, file: (ok: (f: File) => void) => ok(new File([text], name)) };
}

describe('filesFromDataTransfer', () => {
  it('walks dropped folders completely, calling readEntries until it returns nothing', async () => {
    const many = Array.from({ length: 250 }, (_, i) => file(`density_${String(i).padStart(6, '0')}.npz`));
    const tree = dir('sim_000000', [...many, file('description.json'), dir('src', [file('context.json')])]);
    const dt = {
      items: [
        { kind: 'file', webkitGetAsEntry: () => tree, getAsFile: () => null },
        { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => new File(['x'], 'loose.vc7') },
        { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
      ],
    } as unknown as DataTransfer;
    const out = await filesFromDataTransfer(dt);
    expect(out).toHaveLength(253);
    const paths = out.map((o) => o.path);
    expect(paths).toContain('loose.vc7');
    expect(paths).toContain('sim_000000/density_000249.npz');
    expect(paths).toContain('sim_000000/src/context.json');
    expect(await out.find((o) => o.path === 'sim_000000/description.json')!.file.text()).toBe('description.json');
  });
});
