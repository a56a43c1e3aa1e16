import { Type } from '@sinclair/typebox';
import { invalidRequest } from '../../engine/errors.js';
import type { ChatSurface } from '../../engine/surface.js';
import { openAIChatSurface } from '../openai-chat/surface.js';
import { MAX_TOKENS_FIELD, SEED_MAX, SEED_MIN } from '../openai-chat/chat-request-schema.js';
import { compileBodyCheck } from '../openai-shared/validate.js';

const CompletionRequestSchema = Type.Object({
  model: Type.String({ minLength: 1 }),
  prompt: Type.Union([Type.String(), Type.Array(Type.String()), Type.Array(Type.Integer()), Type.Array(Type.Array(Type.Integer()))]),
  stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  max_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: MAX_TOKENS_FIELD }), Type.Null()])),
  temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()])),
  top_p: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
  // Each prompt gets max(n, best_of) completions, every one billed (OpenAI's limits: 128, 20).
  n: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 128 }), Type.Null()])),
  best_of: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 20 }), Type.Null()])),
  logprobs: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 5 }), Type.Null()])),
  presence_penalty: Type.Optional(Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()])),
  frequency_penalty: Type.Optional(Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()])),
  seed: Type.Optional(Type.Union([Type.Integer({ minimum: SEED_MIN, maximum: SEED_MAX }), Type.Null()])),
});

/** Prompts in the request: a string or a token array is one, an array of them is one each. */
function promptCount(p: unknown): number {
  if (!Array.isArray(p) || p.length === 0) return 1;
  return typeof p[0] === 'number' ? 1 : p.length;
}

/**
 * The legacy `POST /v1/completions` surface: pass-through to OpenAI-format hosts that still
 * have it (docs/contract.md §3 "for providers that have it"); no translation to other dialects.
 */
export const openAICompletionsSurface: ChatSurface = {
  ...openAIChatSurface,
  wire: 'openai-completions',
  operation: 'completions',
  validate: compileBodyCheck(CompletionRequestSchema, 'completion request'),
  toInternal() {
    throw invalidRequest('/v1/completions is only available for OpenAI-format providers.', 'model');
  },
  // Strings are text; token arrays are already tokens.
  promptText(b) {
    if (typeof b.prompt === 'string') return { text: b.prompt, fixedTokens: 0 };
    const list: unknown[] = Array.isArray(b.prompt) ? b.prompt : [];
    if (typeof list[0] === 'number') return { text: '', fixedTokens: list.length };
    return { text: list.filter((p) => typeof p === 'string').join('\n'), fixedTokens: list.reduce((n: number, p) => n + (Array.isArray(p) ? p.length : 0), 0) };
  },
  maxOutputTokens: (b) => b.max_tokens ?? undefined,
  maxOutputParam: () => 'max_tokens',
  choices: (b) => Math.max(b.n ?? 1, b.best_of ?? 1) * promptCount(b.prompt),
  passthrough: {
    ...openAIChatSurface.passthrough,
    deliveredText(frame) {
      if (!frame.data.includes('"text"')) return '';
      try {
        return String(JSON.parse(frame.data)?.choices?.[0]?.text ?? '');
      } catch {
        return '';
      }
    },
  },
};
