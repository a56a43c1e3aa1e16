/**
 * Gemini usageMetadata → internal Usage. Token arithmetic checked on the fixtures
 * (docs/wire-facts.md §3): totalTokenCount = prompt + candidates + thoughts (+ toolUsePrompt), so
 * `candidatesTokenCount` EXCLUDES thought tokens and must be added to them for output tokens.
 */
import type { Usage } from '../types.js';
import type { GeminiUsageMetadata } from './wire.js';
import { isRecord } from './wire.js';

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function convertGeminiUsage(meta: unknown): Usage | undefined {
  if (!isRecord(meta)) return undefined;
  const m = meta as GeminiUsageMetadata;
  const usage: Usage = {
    // promptTokenCount already includes cached content; tool-use prompt tokens (e.g. search
    // results fed back to the model) are billed as input but reported apart.
    inputTokens: num(m.promptTokenCount) + num(m.toolUsePromptTokenCount),
    outputTokens: num(m.candidatesTokenCount) + num(m.thoughtsTokenCount),
  };
  if (m.cachedContentTokenCount !== undefined) usage.cachedInputTokens = num(m.cachedContentTokenCount);
  if (m.thoughtsTokenCount !== undefined) usage.reasoningTokens = num(m.thoughtsTokenCount);
  return usage;
}

/** Pass-through observation of a unary body (or of a non-SSE stream array: its last element). */
export function geminiUsageFromBody(json: unknown): Usage | undefined {
  const body = Array.isArray(json) ? json[json.length - 1] : json;
  return isRecord(body) ? convertGeminiUsage(body.usageMetadata) : undefined;
}

/**
 * Pass-through observation of one SSE frame. Every Gemini chunk carries a cumulative
 * usageMetadata snapshot, so the last one seen wins (docs/wire-facts.md §6). Cheap path: a substring
 * test, then only the `usageMetadata` object is cut out and parsed — not the whole chunk, whose
 * text can be long.
 */
export function sniffGeminiStreamUsage(frame: { data: string }, _previous: Usage | undefined): Usage | undefined {
  const data = frame.data;
  const key = data.lastIndexOf('"usageMetadata"');
  if (key < 0) return undefined;
  const slice = sliceObjectAfter(data, key + '"usageMetadata"'.length);
  try {
    if (slice !== undefined) return convertGeminiUsage(JSON.parse(slice));
    return geminiUsageFromBody(JSON.parse(data));
  } catch {
    return undefined;
  }
}

/** The balanced `{…}` that follows `from` (after `:`), string-aware; undefined if not found. */
function sliceObjectAfter(s: string, from: number): string | undefined {
  let i = from;
  while (i < s.length && (s[i] === ' ' || s[i] === ':' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  if (s[i] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return s.slice(i, j + 1);
  }
  return undefined;
}
