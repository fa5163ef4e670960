/** Frame times of a py-pde movie: the `<movie>.times` side-car or t_start + i·dt (pure TS). */

export class TimesError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Parse a `.times` file (whitespace-separated floats, as numpy.loadtxt reads it). */
export function parseTimes(text: string, maxCount: number): number[] {
  const out: number[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (out.length >= maxCount) throw new TimesError(`more than ${maxCount} entries`, m.index);
    const tok = m[0];
    const v = /^[+-]?(nan|inf|infinity)$/i.test(tok) ? Number(tok.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity').replace(/^[+-]?nan$/i, 'NaN')) : Number(tok);
    if (tok === '' || (Number.isNaN(v) && !/nan/i.test(tok))) throw new TimesError(`${JSON.stringify(tok.slice(0, 30))} is not a number`, m.index);
    out.push(v);
  }
  return out;
}

/** t_i = (t_start ?? 0) + (dt ?? 1) · i */
export function formulaTimes(n: number, tStart: unknown, dt: unknown): number[] {
  const t0 = typeof tStart === 'number' && Number.isFinite(tStart) ? tStart : 0;
  const d = typeof dt === 'number' && Number.isFinite(dt) ? dt : 1;
  return Array.from({ length: n }, (_, i) => t0 + d * i);
}
