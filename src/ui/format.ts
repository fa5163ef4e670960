/** Small display helpers shared by the views. */
export function fmtNum(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(digits - 1);
  return String(+x.toPrecision(digits + 1));
}

export function fmtTime(t: number | null, unit: string | null): string {
  if (t === null || !Number.isFinite(t)) return '—';
  const u = unit ?? '';
  if (u === 's' && t > 1e8) {
    // epoch seconds (imgstore frame_time): show the instant too
    return `${t.toFixed(3)} s (${new Date(t * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC')})`;
  }
  return `${fmtNum(t, 6)}${u ? ' ' + u : ''}`;
}

export function bytesLabel(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
