/**
 * The one least-recently-used map bounded by the total byte size of its values (decoded frames,
 * rendered views, decoded video pictures). `sizeOf` says what a value costs; `onEvict` releases what
 * an evicted value holds (an ImageBitmap).
 */
export class ByteLru<K, V> {
  private map = new Map<K, { v: V; bytes: number }>();
  private total = 0;
  constructor(
    private max: number,
    private readonly sizeOf: (v: V) => number = (v) => (v as { byteLength?: number }).byteLength ?? 0,
    private readonly onEvict?: (v: V, k: K) => void,
    /** true when a replacing value still holds what the old one holds (no release on replace) */
    private readonly shares?: (old: V, next: V) => boolean,
  ) {}

  get maxBytes(): number {
    return this.max;
  }
  set maxBytes(n: number) {
    this.max = n;
    this.trim();
  }

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.v;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The keys held, least recently used first (looking does not make them recent). */
  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  /** Store `v` (a value larger than the whole budget is not kept). */
  set(key: K, v: V): void {
    const bytes = this.sizeOf(v);
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.total -= old.bytes;
      if (old.v !== v && !this.shares?.(old.v, v)) this.onEvict?.(old.v, key);
    }
    if (bytes > this.max) return;
    this.map.set(key, { v, bytes });
    this.total += bytes;
    this.trim();
  }

  delete(key: K): void {
    const e = this.map.get(key);
    if (!e) return;
    this.map.delete(key);
    this.total -= e.bytes;
    this.onEvict?.(e.v, key);
  }

  /** Drop every entry whose key matches (a dataset closed, another scene opened). */
  deleteWhere(pred: (k: K) => boolean): void {
    for (const k of [...this.map.keys()]) if (pred(k)) this.delete(k);
  }

  private trim(): void {
    for (const [k, e] of this.map) {
      if (this.total <= this.max) break;
      this.map.delete(k);
      this.total -= e.bytes;
      this.onEvict?.(e.v, k);
    }
  }

  get bytes(): number {
    return this.total;
  }
  get byteSize(): number {
    return this.total;
  }
  get size(): number {
    return this.map.size;
  }

  clear(): void {
    for (const [k, e] of this.map) this.onEvict?.(e.v, k);
    this.map.clear();
    this.total = 0;
  }
}
