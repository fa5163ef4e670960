/**
 * Decompression bombs made on the spot (never stored): one dynamic-Huffman deflate block whose
 * codes are chosen so that each 258-byte copy of a zero costs two zero bits — about 1032:1, the most
 * deflate can reach. 4.3 GB of zeros come out of ~4.2 MB, built in milliseconds.
 */
class BitWriter {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  /** value's low `n` bits, least significant first (header fields, extra bits) */
  bits(value: number, n: number) {
    for (let i = 0; i < n; i++) this.bit((value >> i) & 1);
  }
  /** a Huffman code, most significant bit first */
  code(c: string) {
    for (const ch of c) this.bit(ch === '1' ? 1 : 0);
  }
  bit(b: number) {
    if (b) this.buf[this.pos >> 3] |= 1 << (this.pos & 7);
    this.pos++;
  }
}

/** Raw deflate stream of `outBytes` (≈, rounded down to 1 + 258·k) zero bytes. */
export function deflateBomb(outBytes: number): Uint8Array {
  const repeats = Math.max(1, Math.floor((outBytes - 1) / 258));
  const headerBits = 3 + 5 + 5 + 4 + 18 * 3 + 40;
  const buf = new Uint8Array(Math.ceil((headerBits + 2 * repeats + 2 + 2) / 8) + 1);
  const w = new BitWriter(buf);
  w.bits(1, 1); // BFINAL
  w.bits(2, 2); // dynamic Huffman
  w.bits(286 - 257, 5); // HLIT: literal/length codes 0..285
  w.bits(0, 5); // HDIST: one distance code
  w.bits(18 - 4, 4); // HCLEN: code-length codes up to '1' in the permuted order
  // code-length code lengths in the order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1: 18→1, 2→2, 1→2
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
  const clen: Record<number, number> = { 18: 1, 2: 2, 1: 2 };
  for (const s of order) w.bits(clen[s] ?? 0, 3);
  // canonical codes of the code-length alphabet: 18 '0', 1 '10', 2 '11'
  const CL = { 18: '0', 1: '10', 2: '11' } as const;
  // literal/length lengths: sym 0 → 2, 1..255 → 0, 256 → 2, 257..284 → 0, 285 → 1; distance 0 → 1
  w.code(CL[2]);
  w.code(CL[18]);
  w.bits(138 - 11, 7);
  w.code(CL[18]);
  w.bits(117 - 11, 7); // 255 zeros
  w.code(CL[2]); // 256
  w.code(CL[18]);
  w.bits(28 - 11, 7); // 257..284
  w.code(CL[1]); // 285
  w.code(CL[1]); // distance code 0
  // literal/length codes: 285 '0', 0 '10', 256 '11'; distance 0 '0'
  w.code('10'); // a literal zero
  w.pos += 2 * repeats; // each: length 258 ('0') at distance 1 ('0') — zero bits, already zero
  w.code('11'); // end of block
  return buf.subarray(0, Math.ceil(w.pos / 8));
}

/** The same as a zlib (RFC 1950) stream, as DaVis pack type 2 and PNG use (checksum not valid). */
export function zlibBomb(outBytes: number): Uint8Array {
  const raw = deflateBomb(outBytes);
  const out = new Uint8Array(raw.length + 6);
  out[0] = 0x78;
  out[1] = 0x9c;
  out.set(raw, 2);
  return out;
}
