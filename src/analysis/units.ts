/**
 * A small unit algebra for derived quantities: enough to say that (m/s)/(mm) is 1000 · 1/s, that
 * ½|v|² of m/s is m²/s² and that pixel/pixel is dimensionless. Units are parsed as products of
 * tokens with integer powers ("m/s", "m s^-1", "m^2/s^2", "m²/s²", "1/s", "[m/s]"); lengths
 * (m, dm, cm, mm, µm, um, nm, km) are converted to metres, every other token (s, px, pixel, counts,
 * …) is kept as it is. A unit that does not parse is carried as text in parentheses.
 */

/** metres per unit for the length tokens that are converted to SI */
const LENGTH: Record<string, number> = { m: 1, dm: 0.1, cm: 0.01, mm: 1e-3, um: 1e-6, µm: 1e-6, μm: 1e-6, nm: 1e-9, km: 1e3 };

const SUP: Record<string, string> = { '⁻': '-', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁰': '0' };
const TO_SUP: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** base token → power, in order of first appearance */
export type UnitPowers = [string, number][];

export interface ParsedUnit {
  powers: UnitPowers;
  /** SI factor of the converted lengths: value_SI = value · factor */
  factor: number;
}

function addPower(p: UnitPowers, tok: string, e: number): void {
  const hit = p.find((x) => x[0] === tok);
  if (hit) hit[1] += e;
  else p.push([tok, e]);
}

/** Parse a unit string; null when it is not a product of powers of simple tokens. */
export function parseUnit(unit: string, convertLengths = true): ParsedUnit | null {
  let s = unit.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1).trim();
  const powers: UnitPowers = [];
  let factor = 1;
  if (!s) return { powers, factor };
  // split into tokens, each preceded by an operator ('*' or '/')
  const re = /\s*([*·./]|\s)?\s*([A-Za-zµμ°%Ω]+|1)((?:\^\(?-?\d+\)?)|[⁻¹²³⁴⁵⁶⁷⁸⁹⁰]+|-?\d+)?/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < s.length && (m = re.exec(s))) {
    if (m[0].length === 0) return null;
    pos = re.lastIndex;
    const div = m[1] === '/';
    const tok = m[2];
    let e = 1;
    if (m[3]) {
      const raw = m[3].replace(/[⁻¹²³⁴⁵⁶⁷⁸⁹⁰]/g, (c) => SUP[c]).replace(/[\^()]/g, '');
      e = Number(raw);
      if (!Number.isInteger(e)) return null;
    }
    if (div) e = -e;
    if (tok === '1') continue;
    const len = convertLengths ? LENGTH[tok] : undefined;
    if (len !== undefined) {
      factor *= len ** e;
      addPower(powers, 'm', e);
    } else addPower(powers, tok, e);
  }
  if (pos !== s.length) return null;
  return { powers: powers.filter((x) => x[1] !== 0), factor };
}

function sup(e: number): string {
  return e === 1 ? '' : String(e).replace(/./g, (c) => TO_SUP[c] ?? c);
}

/** Format powers: "m²/s²", "1/s", "" for dimensionless. */
export function formatPowers(p: UnitPowers): string {
  const num = p.filter((x) => x[1] > 0).map(([t, e]) => t + sup(e));
  const den = p.filter((x) => x[1] < 0).map(([t, e]) => t + sup(-e));
  if (!num.length && !den.length) return '';
  return (num.length ? num.join('·') : '1') + (den.length ? '/' + den.join('·') : '');
}

function combine(a: UnitPowers, b: UnitPowers, sign: number): UnitPowers {
  const out: UnitPowers = a.map(([t, e]) => [t, e]);
  for (const [t, e] of b) addPower(out, t, sign * e);
  return out.filter((x) => x[1] !== 0);
}

/** Unit and value factor of (value in `num`) / (length in `den`): derivative units. */
export function divideUnits(num: string, den: string): { unit: string; factor: number } {
  const a = parseUnit(num);
  const b = parseUnit(den);
  if (a && b) return { unit: formatPowers(combine(a.powers, b.powers, -1)), factor: a.factor / b.factor };
  // keep the text of what did not parse, still converting a known length in the denominator
  const numText = a ? formatPowers(a.powers) : `(${num.trim()})`;
  const denText = b ? formatPowers(b.powers) : `(${den.trim()})`;
  const f = (a?.factor ?? 1) / (b?.factor ?? 1);
  if (!denText) return { unit: numText === '' ? '' : numText, factor: f };
  return { unit: `${numText || '1'}/${denText}`, factor: f };
}

/** unit^k, without converting anything (½|v|² of m/s → m²/s²) */
export function powerUnit(unit: string, k: number): string {
  const a = parseUnit(unit);
  if (!a) return `(${unit.trim()})${sup(k)}`;
  // keep the tokens as written (mm stays mm): re-parse without length conversion
  const raw = parseUnit(unit, false)!;
  return formatPowers(raw.powers.map(([t, e]) => [t, e * k]));
}

/** Metres per unit of a length unit, or null when `unit` is not a known length. */
export function lengthFactor(unit: string): number | null {
  const p = parseUnit(unit);
  if (p?.powers.length !== 1 || p.powers[0][0] !== 'm' || p.powers[0][1] !== 1) return null;
  return p.factor;
}
