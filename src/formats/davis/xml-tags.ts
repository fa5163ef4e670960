/**
 * A linear-time scan of the tags of DaVis's small XML side files (StreamSet.xml, *.scales,
 * scales.xml). Not an XML parser: it yields each start / end / empty-element tag with its
 * attributes, in order, and tolerates damage (an unclosed element, a tag cut by `<`, a missing
 * quote end the scan or skip that tag) — every character is looked at a bounded number of times, so
 * a 4 MB file of unclosed tags takes milliseconds, never the quadratic time of a lazy regex.
 */

export interface XmlTag {
  /** element name, without the '/' of an end tag */
  name: string;
  /** true for `</name>` */
  end: boolean;
  /** true for `<name .../>` */
  empty: boolean;
  attrs: Record<string, string>;
  /** offset of '<' */
  at: number;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isNameChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c === 0x2d || c === 0x2e;

/** Tags of `text`, in order; stops after `maxTags` (the caller decides whether that is an error). */
export function* xmlTags(text: string, maxTags = 1_000_000): Generator<XmlTag> {
  const n = text.length;
  let i = 0;
  let count = 0;
  while (i < n && count < maxTags) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return;
    let p = lt + 1;
    const c0 = text.charCodeAt(p);
    if (c0 === 0x21 /* ! */ || c0 === 0x3f /* ? */) {
      // comment, CDATA, doctype or processing instruction: skip to its end
      const close = text.startsWith('!--', p) ? '-->' : text.startsWith('![CDATA[', p) ? ']]>' : c0 === 0x3f ? '?>' : '>';
      const e = text.indexOf(close, p);
      if (e < 0) return;
      i = e + close.length;
      continue;
    }
    const end = c0 === 0x2f; /* / */
    if (end) p++;
    const ns = p;
    while (p < n && isNameChar(text.charCodeAt(p))) p++;
    if (p === ns) {
      i = lt + 1;
      continue;
    }
    const name = text.slice(ns, p);
    const attrs: Record<string, string> = Object.create(null);
    let empty = false;
    let closed = false;
    let restart = -1;
    while (p < n) {
      while (p < n && isSpace(text.charCodeAt(p))) p++;
      if (p >= n) break;
      const c = text.charCodeAt(p);
      if (c === 0x3e /* > */) {
        closed = true;
        p++;
        break;
      }
      if (c === 0x2f /* / */ && text.charCodeAt(p + 1) === 0x3e) {
        closed = empty = true;
        p += 2;
        break;
      }
      if (c === 0x3c /* < */) {
        restart = p; // a tag cut short: rescan from the new '<'
        break;
      }
      const as = p;
      while (p < n) {
        const d = text.charCodeAt(p);
        if (isSpace(d) || d === 0x3d || d === 0x3e || d === 0x3c || d === 0x2f) break;
        p++;
      }
      if (p === as) {
        p++; // a stray character (a lone '/')
        continue;
      }
      const key = text.slice(as, p);
      while (p < n && isSpace(text.charCodeAt(p))) p++;
      if (text.charCodeAt(p) !== 0x3d /* = */) {
        attrs[key] = '';
        continue;
      }
      p++;
      while (p < n && isSpace(text.charCodeAt(p))) p++;
      const q = text.charCodeAt(p);
      if (q === 0x22 || q === 0x27) {
        const e = text.indexOf(q === 0x22 ? '"' : "'", p + 1);
        if (e < 0) return; // an unterminated quote: nothing after it can be read reliably
        attrs[key] = text.slice(p + 1, e);
        p = e + 1;
      } else {
        const vs = p;
        while (p < n) {
          const d = text.charCodeAt(p);
          if (isSpace(d) || d === 0x3e || d === 0x3c) break;
          p++;
        }
        attrs[key] = text.slice(vs, p);
      }
    }
    if (restart >= 0) {
      i = restart;
      continue;
    }
    if (!closed) return;
    count++;
    yield { name, end, empty, attrs, at: lt };
    i = p;
  }
}
