import type { CallSignal, LocalTransport, UpstreamResponse } from '../adapter.js';

const enc = new TextEncoder();
const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.'.split(' ');

/** Rough token count for the mock: whitespace-separated words (deterministic, documented). */
const words = (s: string): number => (s.trim() ? s.trim().split(/\s+/).length : 0);

/** Answers OpenAI-format requests in-process: `/chat` (JSON or SSE), `/embeddings` and `/images` (generations). */
export const mockTransport: LocalTransport = async (req, cfg, signal) => {
  const latency = Number(cfg.options.latency_ms ?? 0);
  if (latency > 0) await sleep(latency, signal);
  const body = JSON.parse(req.body ?? '{}') as Record<string, any>;
  if (req.url.endsWith('/embeddings')) return json(embeddings(body));
  if (req.url.endsWith('/images')) return json(images(body));

  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  const promptText = messages.map((m) => textOf(m.content)).join(' ');
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const model = String(body.model ?? 'echo');
  const chunkCount = Math.max(1, Number(cfg.options.chunks ?? 8));
  const answer = model.startsWith('lorem')
    ? Array.from({ length: chunkCount }, (_, i) => LOREM[i % LOREM.length]).join(' ')
    : textOf(lastUser?.content) || 'Hello from the tollgate mock provider.';
  // `n` > 1: as many choices, each the same answer (and billed as such).
  const n = Number.isInteger(body.n) && body.n > 1 ? Math.min(body.n, 128) : 1;
  const choices = Array.from({ length: n }, (_, i) => i);
  const usage = { prompt_tokens: words(promptText), completion_tokens: n * words(answer), total_tokens: words(promptText) + n * words(answer) };
  const id = `chatcmpl-mock${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);

  if (!body.stream) {
    return json({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: choices.map((index) => ({ index, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' })),
      usage,
    });
  }
  const pieces = split(answer, chunkCount);
  // No `system_fingerprint`: OpenAI's schema types it as a string, never null.
  const base = { id, object: 'chat.completion.chunk', created, model };
  const withUsage = body.stream_options?.include_usage === true;
  const frames: string[] = [
    ...choices.map((index) => frame({ ...base, choices: [{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], ...(withUsage && { usage: null }) })),
    ...pieces.flatMap((p) => choices.map((index) => frame({ ...base, choices: [{ index, delta: { content: p }, logprobs: null, finish_reason: null }], ...(withUsage && { usage: null }) }))),
    ...choices.map((index) => frame({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: 'stop' }], ...(withUsage && { usage: null }) })),
    ...(withUsage ? [frame({ ...base, choices: [], usage })] : []),
    'data: [DONE]\n\n',
  ];
  const delay = Number(cfg.options.chunk_delay_ms ?? 0);
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: (async function* () {
      for (const f of frames) {
        if (signal.aborted) return;
        if (delay > 0) await sleep(delay, signal);
        yield enc.encode(f);
      }
    })(),
  };
};

/** A 1×1 transparent PNG, base64. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** `n` one-pixel images (b64_json, or a data: URL when `url` is asked for), as OpenAI shapes the answer. */
function images(body: Record<string, any>) {
  const n = Number.isInteger(body.n) && body.n > 1 ? Math.min(body.n, 10) : 1;
  const one = body.response_format === 'url' ? { url: `data:image/png;base64,${PIXEL}` } : { b64_json: PIXEL };
  return { created: Math.floor(Date.now() / 1000), data: Array.from({ length: n }, () => ({ ...one, revised_prompt: String(body.prompt ?? '') })) };
}

function embeddings(body: Record<string, any>) {
  const inputs: string[] = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
  const dims = Number(body.dimensions ?? 8);
  return {
    object: 'list',
    model: String(body.model ?? 'mock'),
    data: inputs.map((text, index) => ({
      object: 'embedding',
      index,
      // deterministic pseudo-embedding: character codes folded into `dims` buckets, normalised
      embedding: normalise(Array.from({ length: dims }, (_, d) => [...text].reduce((a, ch, i) => (i % dims === d ? a + ch.charCodeAt(0) : a), 1))),
    })),
    usage: { prompt_tokens: inputs.reduce((a, t) => a + words(t), 0), total_tokens: inputs.reduce((a, t) => a + words(t), 0) },
  };
}

const normalise = (v: number[]) => {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
};

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: any) => (p?.type === 'text' ? String(p.text ?? '') : '')).join(' ');
  return '';
}

function split(text: string, n: number): string[] {
  const tokens = text.split(/(?<=\s)/);
  const size = Math.max(1, Math.ceil(tokens.length / n));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += size) out.push(tokens.slice(i, i + size).join(''));
  return out.length ? out : [''];
}

const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;

function json(o: unknown): UpstreamResponse {
  const bytes = enc.encode(JSON.stringify(o));
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: (async function* () {
      yield bytes;
    })(),
  };
}

function sleep(ms: number, signal: CallSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
