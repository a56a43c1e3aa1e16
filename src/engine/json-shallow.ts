/**
 * A pass-through answer's top level, read without building the whole answer: the gateway forwards
 * the upstream's bytes and needs only a few small fields (`usage`, `service_tier`, `type`) and the
 * kind of the large ones (`choices` is an array). JSON.parse of the whole answer built every choice
 * and every string of it — the largest allocation of a non-streaming request (docs/performance.md).
 *
 * `shallowJson` checks the whole text is JSON exactly as JSON.parse would (same grammar: RFC 8259
 * plus JSON.parse's acceptance of lone surrogates), then returns the top-level value with
 * - every top-level scalar (string, number, boolean, null) as JSON.parse gives it;
 * - the top-level objects and arrays named in `deep` parsed in full;
 * - every other top-level object as `{}` and array as `[]`: its kind is right, its content is not
 *   there (callers must not read inside it: parse the text fully when they need to).
 * A key given twice keeps its last value, as with JSON.parse. Returns `undefined` for text that
 * JSON.parse would reject.
 */
export function shallowJson(text: string, deep: ReadonlySet<string>): unknown {
  const n = text.length;
  let i = ws(text, 0);
  if (text.charCodeAt(i) !== 0x7b /* { */) {
    // Not an object at the top: small and rare for an answer; JSON.parse decides.
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  const out: Record<string, unknown> = {};
  i = ws(text, i + 1);
  if (text.charCodeAt(i) === 0x7d /* } */) return ws(text, i + 1) === n ? out : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = str(text, i);
    if (keyEnd < 0) return undefined;
    const rawKey = text.slice(i + 1, keyEnd - 1);
    const key = rawKey.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : rawKey;
    i = ws(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a /* : */) return undefined;
    i = ws(text, i + 1);
    const start = i;
    const c = text.charCodeAt(i);
    i = value(text, i, 0);
    if (i < 0) return undefined;
    const v = c === 0x7b || c === 0x5b ? (deep.has(key) ? JSON.parse(text.slice(start, i)) : c === 0x7b ? {} : []) : scalar(text, start, i, c);
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, configurable: true, writable: true });
    else out[key] = v;
    i = ws(text, i);
    const sep = text.charCodeAt(i);
    if (sep === 0x2c /* , */) {
      i = ws(text, i + 1);
      continue;
    }
    if (sep !== 0x7d) return undefined;
    return ws(text, i + 1) === n ? out : undefined;
  }
}

/** A checked scalar's value, as JSON.parse gives it (a string without escapes is its slice). */
function scalar(t: string, start: number, end: number, c: number): unknown {
  if (c === 0x22) {
    const inner = t.slice(start + 1, end - 1);
    return inner.includes('\\') ? JSON.parse(t.slice(start, end)) : inner;
  }
  if (c === 0x74) return true;
  if (c === 0x66) return false;
  if (c === 0x6e) return null;
  return Number(t.slice(start, end));
}

/** Deeper than this, JSON.parse itself decides (and V8's parser has no such limit to trip on here). */
const MAX_DEPTH = 512;

function ws(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Index past the value starting at `i`, or -1 when it is not JSON. */
function value(t: string, i: number, depth: number): number {
  const c = t.charCodeAt(i);
  if (c === 0x22) return str(t, i);
  if (c === 0x7b || c === 0x5b) {
    if (depth >= MAX_DEPTH) return deepValue(t, i);
    const close = c === 0x7b ? 0x7d : 0x5d;
    i = ws(t, i + 1);
    if (t.charCodeAt(i) === close) return i + 1;
    for (;;) {
      if (c === 0x7b) {
        if (t.charCodeAt(i) !== 0x22) return -1;
        i = str(t, i);
        if (i < 0) return -1;
        i = ws(t, i);
        if (t.charCodeAt(i) !== 0x3a) return -1;
        i = ws(t, i + 1);
      }
      i = value(t, i, depth + 1);
      if (i < 0) return -1;
      i = ws(t, i);
      const s = t.charCodeAt(i);
      if (s === close) return i + 1;
      if (s !== 0x2c) return -1;
      i = ws(t, i + 1);
    }
  }
  if (c === 0x74) return t.startsWith('true', i) ? i + 4 : -1;
  if (c === 0x66) return t.startsWith('false', i) ? i + 5 : -1;
  if (c === 0x6e) return t.startsWith('null', i) ? i + 4 : -1;
  return num(t, i);
}

/** A value nested deeper than MAX_DEPTH: found by bracket matching, then judged by JSON.parse. */
function deepValue(t: string, i: number): number {
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x22) {
      j = str(t, j) - 1;
      if (j < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) {
        try {
          JSON.parse(t.slice(i, j + 1));
          return j + 1;
        } catch {
          return -1;
        }
      }
    }
  }
  return -1;
}

/** Index past the string starting at `i` (a quote), or -1: no raw control characters, valid escapes. */
function str(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = t.charCodeAt(++j);
      if (e === 0x75 /* u */) {
        for (let k = 1; k <= 4; k++) if (!isHex(t.charCodeAt(j + k))) return -1;
        j += 4;
      } else if (!(e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return -1;
    }
  }
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Index past the number starting at `i` (JSON's grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?), or -1. */
function num(t: string, i: number): number {
  if (t.charCodeAt(i) === 0x2d) i++;
  const first = t.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) while (isDigit(t.charCodeAt(++i)));
  else return -1;
  if (t.charCodeAt(i) === 0x2e) {
    if (!isDigit(t.charCodeAt(++i))) return -1;
    while (isDigit(t.charCodeAt(++i)));
  }
  const e = t.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let s = t.charCodeAt(++i);
    if (s === 0x2b || s === 0x2d) s = t.charCodeAt(++i);
    if (!isDigit(s)) return -1;
    while (isDigit(t.charCodeAt(++i)));
  }
  return i;
}
