/**
 * Byte buffers kept to be used again for frames of the same size: filling a fresh large array
 * costs more than decoding into it (its memory is touched for the first time), so decoders that
 * copy planes out take a kept buffer of the size they need and give it back when done with it.
 */
export class SpareBuffers {
  private readonly free: Uint8Array[] = [];

  /** at most `max` buffers are kept; one given beyond that is left to the garbage collector */
  constructor(private readonly max: number) {}

  /** A kept buffer of `n` bytes (its old contents; the last given first), or a new one. */
  take(n: number): Uint8Array {
    for (let k = this.free.length - 1; k >= 0; k--) if (this.free[k].length === n) return this.free.splice(k, 1)[0];
    return new Uint8Array(n);
  }

  give(b: Uint8Array): void {
    if (this.free.length < this.max) this.free.push(b);
  }
}
