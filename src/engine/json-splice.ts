import { invalidRequest } from './errors.js';

/**
 * Byte-level edits of a JSON object's top-level keys, for the pass-through path: the gateway
 * must change a few things (the model name; `stream_options`; `usage.cost`) without
 * re-serialising the whole body (docs/architecture.md §2). The text must already be known-valid JSON (it was
 * parsed once for validation); these functions only locate spans.
 */

/** [start, end) of the value of top-level `key`, or undefined. */
export function findTopLevelValue(text: string, key: string): { start: number; end: number } | undefined {
  let i = skipWs(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipWs(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    if (text[i] !== '"') return undefined;
    const keyEnd = stringEnd(text, i);
    const k = text.slice(i + 1, keyEnd - 1);
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') return undefined;
    i = skipWs(text, i + 1);
    const start = i;
    i = valueEnd(text, i);
    if (k === key || (k.includes('\\') && JSON.parse(`"${k}"`) === key)) return { start, end: i };
    i = skipWs(text, i);
    if (text[i] === ',') i = skipWs(text, i + 1);
  }
  return undefined;
}

/** Replaces (or adds) the top-level `key` with already-serialised JSON `valueJson`. */
export function setTopLevel(text: string, key: string, valueJson: string): string {
  const span = findTopLevelValue(text, key);
  if (span) return text.slice(0, span.start) + valueJson + text.slice(span.end);
  const close = text.lastIndexOf('}');
  const body = text.slice(0, close).trimEnd();
  const sep = body.endsWith('{') ? '' : ',';
  return `${body}${sep}${JSON.stringify(key)}:${valueJson}${text.slice(close)}`;
}

/** Adds `"field":valueJson` at the end of the top-level object `key` (which must be an object). */
export function appendToTopLevelObject(text: string, key: string, field: string, valueJson: string): string | undefined {
  const span = findTopLevelValue(text, key);
  if (!span || text[span.start] !== '{') return undefined;
  const close = span.end - 1; // the object's closing brace
  const inner = text.slice(span.start + 1, close).trim();
  const sep = inner ? ',' : '';
  return `${text.slice(0, close)}${sep}${JSON.stringify(field)}:${valueJson}${text.slice(close)}`;
}

function skipWs(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    i++;
  }
  return i;
}

/** Index just past the closing quote of the string starting at `i`. */
function stringEnd(t: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = t.indexOf('"', j);
    if (q < 0) return t.length;
    let bs = 0;
    for (let k = q - 1; t.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    j = q + 1;
  }
}

function valueEnd(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return stringEnd(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    let j = i;
    while (j < t.length) {
      const ch = t[j];
      if (ch === '"') {
        j = stringEnd(t, j);
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return t.length;
  }
  let j = i;
  while (j < t.length && !',}] \n\r\t'.includes(t[j]!)) j++;
  return j;
}

/**
 * The body with its top-level `model` set to `upstreamModel` (unchanged bytes when equal).
 * Refuses a body whose first top-level `model` is not the one JSON.parse kept (the last): with
 * duplicate keys the gateway (routing, allow-list, price) and the upstream could read different
 * models: a 400.
 */
export function replaceModel(raw: string, parsedModel: unknown, upstreamModel: string): string {
  const span = findTopLevelValue(raw, 'model');
  let first: unknown;
  try {
    first = span && JSON.parse(raw.slice(span.start, span.end));
  } catch {
    first = undefined;
  }
  if (!span || first !== parsedModel) throw invalidRequest(`The request body has more than one top-level 'model'.`, 'model', 'duplicate_key');
  return parsedModel === upstreamModel ? raw : raw.slice(0, span.start) + JSON.stringify(upstreamModel) + raw.slice(span.end);
}
