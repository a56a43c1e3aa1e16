import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * o200k_base token counts (OpenAI's encoding of its current models) from compact tables: the
 * 199,998 tokens' bytes in one buffer and an open-addressing hash table of their ranks, ~5 MB
 * outside the JS heap, built in tens of milliseconds from OpenAI's rank file (the
 * `o200k_base.tiktoken` gpt-tokenizer ships). tiktoken's WASM took ~60–80 MB and gpt-tokenizer's
 * string tables ~30 MB of the gateway's RSS (docs/performance.md, bench/tokenizers.ts).
 *
 * It only counts: pre-tokens by OpenAI's o200k pattern, then byte-pair merges by rank, lowest
 * first and leftmost on a tie, as tiktoken does (src/metering/tokens.test.ts checks the counts
 * against tiktoken's). Special-token strings such as `<|endoftext|>` count as ordinary text.
 */

/**
 * Unicode's White_Space, what `\s` means in tiktoken's (Rust) pattern. JavaScript's `\s` differs:
 * it takes U+FEFF (a byte-order mark) and leaves U+0085 out, which changed counts.
 */
const WS = String.raw`\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const CONTRACTION = String.raw`(?:'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD]))?`;
/** OpenAI's o200k pre-tokenisation pattern (tiktoken's; `(?i:'s|…)` and `\s` spelled out). */
const PRE_TOKEN = new RegExp(
  [
    String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+${CONTRACTION}`,
    String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*${CONTRACTION}`,
    String.raw`\p{N}{1,3}`,
    String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n/]*`,
    String.raw`[${WS}]*[\r\n]+`,
    String.raw`[${WS}]+(?![^${WS}])`,
    String.raw`[${WS}]+`,
  ].join('|'),
  'gu',
);

const TABLE_BITS = 19; // 524,288 slots for 199,998 tokens: short probe runs
const MASK = (1 << TABLE_BITS) - 1;
const NONE = 0x7fffffff;

export interface Tables {
  /** Every token's bytes, one after the other. */
  bytes: Uint8Array;
  /** Token r's bytes are bytes[start[r], start[r + 1]). */
  start: Uint32Array;
  /** Slot → rank + 1 (0: empty), at the hash of the token's bytes, then the next free slot. */
  slots: Int32Array;
}

const utf8 = new TextEncoder();
let scratch = new Uint8Array(1024);
let bounds = new Int32Array(1025);
let pairRanks = new Int32Array(1025);

function hash(buf: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return (h ^ (h >>> 15)) & MASK;
}

/** Reads the rank file (lines of `base64 rank`, ranks 0, 1, 2… in order) straight from its bytes. */
export function buildTables(file: Uint8Array): Tables {
  const value = new Int8Array(128).fill(-1);
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (value[c.charCodeAt(0)] = i));
  let lines = 0;
  for (let at = file.indexOf(10); at >= 0; at = file.indexOf(10, at + 1)) lines++;
  const bytes = new Uint8Array(Math.ceil((file.length * 3) / 4));
  const start = new Uint32Array(lines + 2);
  const slots = new Int32Array(1 << TABLE_BITS);
  let out = 0;
  let rank = 0;
  let i = 0;
  while (i < file.length) {
    start[rank] = out;
    let bits = 0;
    let n = 0;
    for (; file[i] !== 32; i++) {
      const v = value[file[i]!]!;
      if (v < 0) continue; // '=' padding
      bits = (bits << 6) | v;
      n += 6;
      if (n >= 8) {
        n -= 8;
        bytes[out++] = (bits >>> n) & 0xff;
      }
    }
    let declared = 0;
    for (i++; i < file.length && file[i] !== 10; i++) declared = declared * 10 + file[i]! - 48;
    i++;
    if (declared !== rank) throw new Error(`o200k rank file: line ${rank + 1} has rank ${declared}`);
    let slot = hash(bytes, start[rank]!, out);
    while (slots[slot] !== 0) slot = (slot + 1) & MASK;
    slots[slot] = rank + 1;
    rank++;
  }
  start[rank] = out;
  return { bytes: bytes.slice(0, out), start: start.slice(0, rank + 1), slots };
}

/** The rank of buf[from, to) as one token, or NONE. */
function rankOf(t: Tables, buf: Uint8Array, from: number, to: number): number {
  const len = to - from;
  for (let slot = hash(buf, from, to); ; slot = (slot + 1) & MASK) {
    const r = t.slots[slot]! - 1;
    if (r < 0) return NONE;
    const s = t.start[r]!;
    if (t.start[r + 1]! - s !== len) continue;
    let i = 0;
    while (i < len && t.bytes[s + i] === buf[from + i]) i++;
    if (i === len) return r;
  }
}

/** Tokens of one pre-token (its UTF-8 bytes in scratch[0, n)): tiktoken's byte-pair merge. */
function mergeCount(t: Tables, n: number): number {
  if (n === 1 || rankOf(t, scratch, 0, n) !== NONE) return 1;
  // bounds[0..parts] are the parts' starts (and the end); pairRanks[i] is the rank of parts i and i+1 merged.
  let parts = n;
  for (let i = 0; i <= n; i++) bounds[i] = i;
  for (let i = 0; i < n - 1; i++) pairRanks[i] = rankOf(t, scratch, i, i + 2);
  pairRanks[n - 1] = NONE;
  for (;;) {
    let best = NONE;
    let at = -1;
    for (let i = 0; i < parts - 1; i++) {
      if (pairRanks[i]! < best) {
        best = pairRanks[i]!;
        at = i;
      }
    }
    if (at < 0) return parts;
    // Part at+1 joins part at: drop its start, then re-rank the merged part with its neighbours.
    bounds.copyWithin(at + 1, at + 2, parts + 1);
    pairRanks.copyWithin(at + 1, at + 2, parts);
    parts--;
    pairRanks[at] = at + 2 <= parts ? rankOf(t, scratch, bounds[at]!, bounds[at + 2]!) : NONE;
    if (at > 0) pairRanks[at - 1] = rankOf(t, scratch, bounds[at - 1]!, bounds[at + 1]!);
  }
}

/** o200k token count of `text` (no special tokens). Cost: linear in pre-tokens, quadratic in the longest one. */
export function countO200k(t: Tables, text: string): number {
  let n = 0;
  PRE_TOKEN.lastIndex = 0;
  for (let m = PRE_TOKEN.exec(text); m; m = PRE_TOKEN.exec(text)) {
    const piece = m[0];
    if (piece.length * 3 > scratch.length) {
      scratch = new Uint8Array(piece.length * 3 * 2);
      bounds = new Int32Array(scratch.length + 1);
      pairRanks = new Int32Array(scratch.length + 1);
    }
    n += mergeCount(t, utf8.encodeInto(piece, scratch).written);
  }
  return n;
}

/** The tables from gpt-tokenizer's copy of OpenAI's rank file. */
export function loadO200k(): Tables {
  const require = createRequire(import.meta.url);
  return buildTables(readFileSync(require.resolve('gpt-tokenizer/data/o200k_base.tiktoken')));
}
