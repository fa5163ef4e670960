/**
 * The one "nearest frame to a time" function. Every format uses the same search (minimal |time − t|,
 * the earliest frame on ties, frames without a time skipped; binary search when the times are
 * sorted); what differs between formats is only the answer when no frame has a time, kept as data.
 */
export interface NearestRule {
  /** answer when no frame has a time: −1, the first frame, or t itself read as an index (clamped) */
  none: 'minus-one' | 'first' | 'round-t';
}

export const NEAREST_RULES = {
  /** DaVis: buffers without acquisition times are addressed by index */
  davis: { none: 'round-t' },
  /** imgstore get_nearest_image: −1 for an empty store, else the first frame when no time is known */
  imgstore: { none: 'first' },
  /** PhiFlow: keys are time where known, else the frame number (the caller maps them) */
  phiflow: { none: 'first' },
  pypde: { none: 'first' },
  video: { none: 'first' },
  first: { none: 'first' },
} as const satisfies Record<string, NearestRule>;

const known = (x: number | null | undefined): x is number => typeof x === 'number' && !Number.isNaN(x);

export function nearestIndex(times: ArrayLike<number | null>, t: number, rule: NearestRule = NEAREST_RULES.first): number {
  const n = times.length;
  const none = () =>
    rule.none === 'minus-one' ? -1 : rule.none === 'first' ? (n ? 0 : -1) : Number.isFinite(t) ? Math.max(0, Math.min(n - 1, Math.round(t))) : 0;
  if (!n) return rule.none === 'round-t' ? 0 : -1;
  if (Number.isNaN(t)) return 0;
  let sorted = known(times[0]);
  for (let i = 1; i < n && sorted; i++) {
    const a = times[i - 1];
    const b = times[i];
    if (!known(b) || !((b as number) >= (a as number))) sorted = false;
  }
  if (sorted) {
    const ts = times as ArrayLike<number>;
    // first index with time >= t
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    const firstOf = (i: number) => {
      while (i > 0 && ts[i - 1] === ts[i]) i--;
      return i;
    };
    if (lo === 0) return 0;
    if (lo === n) return firstOf(n - 1);
    return t - ts[lo - 1] <= ts[lo] - t ? firstOf(lo - 1) : lo;
  }
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < n; i++) {
    const x = times[i];
    if (!known(x)) continue;
    const d = Math.abs(x - t);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best >= 0 ? best : none();
}
