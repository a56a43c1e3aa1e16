import { countO200k, loadO200k, type Tables } from './o200k.js';

/**
 * Token counting in o200k_base (the encoding of OpenAI's current models; the same counts as
 * OpenAI's tiktoken, from compact tables: ./o200k.ts) for providers that report no usage, for
 * streams cut before their usage arrived, and for the budget reservation. Counts for other
 * providers' tokenizers are estimates, and records carry `estimated: true`. The tables (~5 MB)
 * are built at start (`loadTokenizer`, ~50–120 ms), or else by the first count.
 *
 * Bounded cost. BPE is quadratic in the length of one pre-token, and a run of one character
 * (`aaaa…`, CJK without spaces, `!!!!`, spaces) is one pre-token: 100 KB took 8.7 s in tiktoken.
 * So text is counted in pieces (`pieces` below): a run of spaces or of non-spaces is cut
 * every RUN_MAX characters, ordinary text every ~PIECE_CHARS at a word boundary — linear time;
 * the sum differs from one whole-text count by a token or two at the cuts, no more. Even linear,
 * BPE costs up to a few µs a character, so:
 * - admission takes `tokenUpperBound`: exact pieces while they cost a few ms, then one token
 *   per UTF-8 byte for the rest (a true upper bound: every o200k token is at least one byte);
 * - estimates after the fact take `countTokensAsync`, which yields to the event loop between
 *   slices of work, so a 200 KB text never stalls other requests.
 */
let tables: Tables | undefined;

/** No pre-token longer than this reaches the BPE (its cost is quadratic in that length). */
const RUN_MAX = 64;
/** Ordinary text is cut at the first word boundary after this many characters. */
const PIECE_CHARS = 2048;
/** Work between two checks of the clock / two yields to the event loop. */
const SLICE_MS = 1;

/** Builds the tables now (synchronous, ~50–120 ms, ~5 MB): at start, so no request waits for it (server/start.ts). */
export function loadTokenizer(): void {
  encode('');
}

/** Whether the tables are built (tests of when they are). */
export const tokenizerLoaded = (): boolean => tables !== undefined;

function encode(text: string): number {
  tables ??= loadO200k();
  return countO200k(tables, text);
}

/** Token count of `text` (o200k), in linear time. Synchronous: for short texts and tests. */
export function countTokens(text: string): number {
  if (!text) return 0;
  let n = 0;
  for (const [start, end] of pieces(text)) n += encode(text.slice(start, end));
  return n;
}

/** The same count, yielding to the event loop every ~1 ms of work (long delivered texts, big prompts). */
export async function countTokensAsync(text: string): Promise<number> {
  if (!text) return 0;
  let n = 0;
  let sliceStart = performance.now();
  for (const [start, end] of pieces(text)) {
    n += encode(text.slice(start, end));
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return n;
}

/** Characters the reservation counts exactly (~4 ms of English, ~7 ms of CJK on a busy machine); the rest is bounded by its bytes. */
export const EXACT_BOUND_CHARS = 16_384;

/**
 * At least as many tokens as o200k makes of `text`, at a bounded cost that does not depend on
 * the machine's load (so whether a request fits a budget does not either): exact pieces for the
 * first EXACT_BOUND_CHARS characters, then one token per remaining UTF-8 byte.
 */
export function tokenUpperBound(text: string): number {
  if (!text) return 0;
  let n = 0;
  for (const [start, end] of pieces(text)) {
    n += encode(text.slice(start, end));
    if (end < text.length && end >= EXACT_BOUND_CHARS) return n + Buffer.byteLength(text.slice(end), 'utf8');
  }
  return n;
}

/**
 * Cut points of `text` (one linear scan, [start, end) pairs): a run of whitespace or of
 * non-whitespace is cut every RUN_MAX characters (never inside a surrogate pair); otherwise a
 * piece ends where a whitespace run starts once it holds PIECE_CHARS characters.
 */
export function* pieces(text: string): Generator<[number, number]> {
  let start = 0;
  let runStart = 0;
  let runSpace = isSpace(text.charCodeAt(0));
  for (let i = 1; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (space !== runSpace) {
      runSpace = space;
      runStart = i;
      if (space && i - start >= PIECE_CHARS) {
        yield [start, i];
        start = i;
      }
    } else if (i - runStart >= RUN_MAX) {
      const c = text.charCodeAt(i);
      const cut = c >= 0xdc00 && c <= 0xdfff ? i - 1 : i; // keep a surrogate pair together
      if (cut > start) {
        yield [start, cut];
        start = cut;
      }
      runStart = cut;
    }
  }
  yield [start, text.length];
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && (c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000));
}

/**
 * What a request sends the model as input, for counting: the text (concatenated, counted once)
 * and tokens that are not text (images at IMAGE_TOKENS each, pre-tokenised prompts, the chat
 * format's per-message overhead).
 */
export interface PromptText {
  text: string;
  fixedTokens: number;
}

/**
 * Reserved per image: an upper bound of what the providers bill for one image — OpenAI ≤ 1,445
 * (gpt-4o high detail) and ≤ 3,778 (gpt-4.1-nano's patch multiplier), Anthropic ~1,600 (images
 * are resized to ~1.15 MP), Gemini 258 per 768-px tile.
 */
export const IMAGE_TOKENS = 4096;

/** Per-message overhead OpenAI documents for chat formatting (~3 tokens a message, 3 to prime the reply). */
export const MESSAGE_OVERHEAD_TOKENS = 3;
