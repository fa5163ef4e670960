import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/codecs/png';
import { encodePng } from '../../src/codecs/png-encode';

function rand(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('encodePng', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    for (const bits of [8, 16]) {
      it(`${channels} channel(s), ${bits} bit: decodes to the same samples`, () => {
        const w = 13;
        const h = 9;
        const r = rand(channels * 100 + bits);
        const n = w * h * channels;
        const data =
          bits === 16
            ? Uint16Array.from({ length: n }, (_, i) => (i % 5 === 0 ? Math.floor(r() * 65536) : (i * 257) & 0xffff))
            : Uint8Array.from({ length: n }, (_, i) => (i % 3 ? i & 255 : Math.floor(r() * 256)));
        const png = encodePng({ width: w, height: h, channels, data, text: { Software: 'framescope' } });
        const dec = decodePng(png, 't.png');
        expect(dec.width).toBe(w);
        expect(dec.height).toBe(h);
        expect(dec.channels).toBe(channels);
        expect(dec.bitDepth).toBe(bits);
        expect(Array.from(dec.data)).toEqual(Array.from(data));
      });
    }
  }
  it('rejects a wrong sample count', () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) })).toThrow(/expected 2×2×3/);
  });
  it('is a valid PNG for an independent decoder (python zlib + CRC check)', () => {
    let py = true;
    try {
      execFileSync('python3', ['-c', 'import zlib']);
    } catch {
      py = false;
    }
    if (!py) {
      console.warn('python3 not available: independent PNG check skipped');
      return;
    }
    const w = 40;
    const h = 30;
    const data = Uint16Array.from({ length: w * h }, (_, i) => (i * 97) % 65536);
    const dir = mkdtempSync(join(tmpdir(), 'png-'));
    const p = join(dir, 'a.png');
    writeFileSync(p, encodePng({ width: w, height: h, channels: 1, data }));
    const script = `
import struct, zlib, sys
b = open(sys.argv[1], 'rb').read()
assert b[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
pos = 8; idat = b''
while pos < len(b):
    n, = struct.unpack('>I', b[pos:pos+4]); t = b[pos+4:pos+8]; d = b[pos+8:pos+8+n]
    crc, = struct.unpack('>I', b[pos+8+n:pos+12+n]); assert zlib.crc32(t + d) == crc, t
    if t == b'IHDR': w, h, depth, ct = struct.unpack('>IIBB', d[:10])
    if t == b'IDAT': idat += d
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * 2
rows = []; prev = bytearray(stride)
for y in range(h):
    f = raw[y*(stride+1)]; line = bytearray(raw[y*(stride+1)+1:(y+1)*(stride+1)])
    for i in range(stride):
        a = line[i-2] if i >= 2 else 0; up = prev[i]; c = prev[i-2] if i >= 2 else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + up) & 255
        elif f == 3: line[i] = (line[i] + (a + up) // 2) & 255
        elif f == 4:
            p = a + up - c; pa, pb, pc = abs(p-a), abs(p-up), abs(p-c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
    rows.append(line); prev = line
vals = [struct.unpack('>H', bytes(r[2*i:2*i+2]))[0] for r in rows for i in range(w)]
print(w, h, depth, ct, sum(vals), vals[123])
`;
    const out = execFileSync('python3', ['-c', script, p]).toString().trim();
    const sum = data.reduce((a, b) => a + b, 0);
    expect(out).toBe(`${w} ${h} 16 0 ${sum} ${data[123]}`);
  });
});
