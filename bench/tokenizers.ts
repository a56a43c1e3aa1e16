/**
 * `npx tsx bench/tokenizers.ts`: the o200k_base tokenizers the gateway could count with, compared
 * by measurement (figures, never asserted): tiktoken (Rust compiled to WASM), js-tiktoken (pure
 * JS, OpenAI's ranks), gpt-tokenizer (pure JS), the last with its merge cache (multi-token words
 * already encoded) at its default of up to 100,000 entries, at 10,000 and off; and the gateway's
 * own counter (src/metering/o200k.ts: OpenAI's rank file in compact tables, counting only).
 *
 * Each runs in a fresh `node --expose-gc` process, so what it adds is its own:
 * - load: time to load the module and build the encoder (the first count's stall), and RSS /
 *   JS heap / external memory added by it (after a GC);
 * - after use: the same after counting every corpus below once (caches filled);
 * - throughput in characters per ms on each corpus, counted the way the gateway counts: in the
 *   pieces of src/metering/tokens.ts (no pre-token longer than 64 characters reaches the BPE);
 * - exactness: each piece's count, and each of ~2,000 random short texts' count, against
 *   tiktoken's (the reference: OpenAI's own tokenizer). `tokenUpperBound` relies on the pieces'
 *   counts being o200k's.
 *
 * Corpora: prose (this repository's English docs), code (its TypeScript sources), CJK and emoji
 * (generated from a seed: text without spaces, multi-code-point emoji), runs (long runs of one
 * character: `a`, spaces, `!`, `中`, `😀`, newlines, digits) and the mixed random texts
 * (words, contractions, digits, punctuation, whitespace, accents and combining marks, scripts,
 * special-token strings such as `<|endoftext|>`, lone surrogates). A library that is not
 * installed prints as such. Run with tsx, never built (tsconfig.build.json leaves it out).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pieces } from '../src/metering/tokens.js';
import { rng } from '../test/helpers/rng.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS_CHARS = 200_000;

const rand = rng(18); // the same corpus every run
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return name.endsWith(ext) && !name.endsWith('.test.ts') ? [path] : [];
  });
}
const upTo = (text: string) => text.slice(0, CORPUS_CHARS);

const HANZI = range(0x4e00, 0x4e00 + 2500);
const KANA = range(0x3041, 0x3096);
const CJK_PUNCT = ['，', '。', '、', '「', '」', '：', '？', '！', '\n'];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '🏳️‍🌈', '❤️', '🚀', '✅', '🤖', '🎉', '🧑🏿‍💻', '☕'];
const WORDS = ['the', 'Gateway', 'tokens', "don't", "I'LL", "we've", 'JSON', 'naïve', 'café', 'Ünïcödé', 'e\u0301', 'Привет', 'мир', 'مرحبا', 'नमस्ते', 'γειά', 'שלום', 'x86_64', 'camelCase', 'snake_case'];
const OTHER = ['\ufeff', '\u0085', '\u2028', '\u200b', '1', '42', '2026', '3.14159', ',', '.', '!!', '?', '...', '{"a":1}', '/* */', '//', '->', '=>', '<|endoftext|>', '<|im_start|>', '<|fim_prefix|>', '\ud83d', '\udc00', '🙂', '中文', 'かな'];
const SPACES = [' ', ' ', ' ', '  ', '\n', '\n\n', '\t', '\r\n', ' \n ', '\u00a0', '\u3000'];

function generated(make: () => string, chars: number): string {
  let text = '';
  while (text.length < chars) text += make();
  return text.slice(0, chars);
}

const CORPORA: Record<string, string> = {
  prose: upTo([join(ROOT, 'README.md'), ...files(join(ROOT, 'docs'), '.md')].map((f) => readFileSync(f, 'utf8')).join('\n')),
  code: upTo(files(join(ROOT, 'src'), '.ts').map((f) => readFileSync(f, 'utf8')).join('\n')),
  cjk: generated(() => (rand() < 0.12 ? pick(CJK_PUNCT) : rand() < 0.3 ? pick(KANA) : pick(HANZI)), CORPUS_CHARS / 2),
  emoji: generated(() => pick(EMOJI) + (rand() < 0.3 ? ' ' : rand() < 0.2 ? ` ${pick(WORDS)} ` : ''), CORPUS_CHARS / 2),
  runs: ['a'.repeat(50_000), ' '.repeat(20_000), '!'.repeat(20_000), '中'.repeat(20_000), '😀'.repeat(10_000), '\n'.repeat(10_000), '7'.repeat(20_000)].join(''),
};
const FUZZ = Array.from({ length: 2000 }, () => {
  let text = '';
  const parts = 1 + Math.floor(rand() * 60);
  for (let i = 0; i < parts; i++) text += rand() < 0.4 ? pick(WORDS) : rand() < 0.5 ? pick(SPACES) : pick(OTHER);
  return text;
});

const input = {
  corpora: Object.fromEntries(Object.entries(CORPORA).map(([name, text]) => [name, [...pieces(text)].map(([s, e]) => text.slice(s, e))])),
  fuzz: FUZZ,
};

/** Runs in the fresh process (plain JavaScript: no loader in the measured process but for OURS). argv: root, input file, library. */
const CHILD = String.raw`
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const [root, inputFile, lib] = process.argv.slice(-3);
const require = createRequire(root + '/package.json');
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const mem = () => { gc(); gc(); return process.memoryUsage(); };
const before = mem();
let t = performance.now();
let count;
if (lib === 'tiktoken') {
  const enc = require('tiktoken').get_encoding('o200k_base');
  count = (s) => enc.encode_ordinary(s).length;
} else if (lib === 'js-tiktoken') {
  const { Tiktoken } = require('js-tiktoken/lite');
  const ranks = require('js-tiktoken/ranks/o200k_base');
  const enc = new Tiktoken(ranks.default ?? ranks);
  count = (s) => enc.encode(s, [], []).length;
} else if (lib === 'tollgate (o200k tables)') {
  const { countO200k, loadO200k } = await import(root + '/src/metering/o200k.ts');
  const tables = loadO200k();
  count = (s) => countO200k(tables, s);
} else {
  const api = require('gpt-tokenizer/encoding/o200k_base');
  const cache = /cache (\d+)/.exec(lib);
  if (cache) api.setMergeCacheSize(Number(cache[1]));
  const ordinary = { disallowedSpecial: new Set() };
  count = (s) => api.countTokens(s, ordinary);
}
count('hello world');
const loadMs = performance.now() - t;
const loaded = mem();
for (const s of input.fuzz.slice(0, 200)) count(s); // warm-up
const throughput = {}, counts = {};
for (const [name, ps] of Object.entries(input.corpora)) {
  t = performance.now();
  counts[name] = ps.map(count);
  throughput[name] = ps.reduce((n, p) => n + p.length, 0) / (performance.now() - t);
}
const fuzz = input.fuzz.map(count);
const used = mem();
const d = (a, k) => (a[k] - before[k]) / 1048576;
process.stdout.write(JSON.stringify({
  loadMs,
  load: { rss: d(loaded, 'rss'), heap: d(loaded, 'heapUsed'), external: d(loaded, 'external') },
  used: { rss: d(used, 'rss'), heap: d(used, 'heapUsed'), external: d(used, 'external') },
  throughput, counts, fuzz,
}));
`;

interface Result {
  loadMs: number;
  load: { rss: number; heap: number; external: number };
  used: { rss: number; heap: number; external: number };
  throughput: Record<string, number>;
  counts: Record<string, number[]>;
  fuzz: number[];
}

const dir = mkdtempSync(join(tmpdir(), 'tokenizers-'));
const inputFile = join(dir, 'input.json');
writeFileSync(inputFile, JSON.stringify(input));
const RUNS = Number(process.env.RUNS ?? 3);
/** The gateway's own counter (src/metering/o200k.ts), loaded through tsx (TypeScript): tsx's own modules load before the baseline. */
const OURS = 'tollgate (o200k tables)';
const LIBS = ['tiktoken', 'js-tiktoken', 'gpt-tokenizer', 'gpt-tokenizer, cache 10000', 'gpt-tokenizer, cache 0', OURS];
/** The V8 flags `npm start` and the Docker image run the gateway with (heap sizing changes RSS). */
const GATEWAY_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=25'];
const results = new Map<string, Result | string>();
try {
  for (const lib of LIBS) {
    // The median of RUNS fresh processes for load time and memory; counts are the same every run.
    const runs: Result[] = [];
    for (let i = 0; i < RUNS; i++) {
      const loader = lib === OURS ? ['--import', 'tsx'] : [];
      const r = spawnSync(process.execPath, ['--expose-gc', ...GATEWAY_FLAGS, ...loader, '--input-type=module', '-e', CHILD, ROOT, inputFile, lib], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.status !== 0) {
        results.set(lib, /Cannot find module/.test(r.stderr) ? 'not installed' : `failed: ${r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.status}`);
        break;
      }
      runs.push(JSON.parse(r.stdout) as Result);
    }
    if (runs.length) results.set(lib, median(runs));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function median(runs: Result[]): Result {
  const mid = <T>(f: (r: Result) => number): Result => [...runs].sort((a, b) => f(a) - f(b))[runs.length >> 1]!;
  const byRss = mid((r) => r.used.rss);
  return { ...byRss, loadMs: mid((r) => r.loadMs).loadMs, load: mid((r) => r.load.rss).load, throughput: Object.fromEntries(Object.keys(byRss.throughput).map((k) => [k, mid((r) => r.throughput[k]!).throughput[k]!])) };
}

const ref = results.get('tiktoken');
const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const names = Object.keys(CORPORA);
const totalPieces = names.reduce((n, k) => n + input.corpora[k]!.length, 0);
console.log(`corpora (characters, pieces): ${names.map((k) => `${k} ${CORPORA[k]!.length} / ${input.corpora[k]!.length}`).join(', ')}; random texts: ${FUZZ.length}`);
console.log(`median of ${RUNS} fresh processes each, node ${process.version}\n`);
console.log(`| library | load ms | RSS / heap / external MB after load | RSS / heap / external MB after use | ${names.map((k) => `${k} chars/ms`).join(' | ')} | pieces ≠ tiktoken | random texts ≠ tiktoken |`);
console.log(`|---|---|---|---|${names.map(() => '---|').join('')}---|---|`);
for (const lib of LIBS) {
  const r = results.get(lib);
  if (r === undefined || typeof r === 'string') {
    console.log(`| ${lib} | ${r ?? 'not run'} |`);
    continue;
  }
  let pieceDiffs = 0;
  let fuzzDiffs = 0;
  if (typeof ref === 'object') {
    for (const k of names) r.counts[k]!.forEach((n, i) => (pieceDiffs += n === ref.counts[k]![i] ? 0 : 1));
    r.fuzz.forEach((n, i) => (fuzzDiffs += n === ref.fuzz[i] ? 0 : 1));
  }
  const mb = (m: Result['load']) => `${f1(m.rss)} / ${f1(m.heap)} / ${f1(m.external)}`;
  console.log(`| ${lib} | ${f0(r.loadMs)} | ${mb(r.load)} | ${mb(r.used)} | ${names.map((k) => f0(r.throughput[k]!)).join(' | ')} | ${pieceDiffs} of ${totalPieces} | ${fuzzDiffs} of ${FUZZ.length} |`);
}
