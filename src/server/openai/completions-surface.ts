import { Type } from '@sinclair/typebox';
import { invalidRequest } from '../../engine/errors.js';
import type { ChatSurface } from '../../engine/surface.js';
import { countTokens } from '../../metering/tokens.js';
import { openAIChatSurface } from './surface.js';
import { compileBodyCheck } from './validate.js';

const CompletionRequestSchema = Type.Object({
  model: Type.String({ minLength: 1 }),
  prompt: Type.Union([Type.String(), Type.Array(Type.String()), Type.Array(Type.Integer()), Type.Array(Type.Array(Type.Integer()))]),
  stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  max_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()])),
});

/**
 * The legacy `POST /v1/completions` surface: pass-through to OpenAI-format hosts that still
 * have it (SPEC §3 "for providers that have it"); no translation to other dialects.
 */
export const openAICompletionsSurface: ChatSurface = {
  ...openAIChatSurface,
  operation: 'completions',
  validate: compileBodyCheck(CompletionRequestSchema, 'completion request'),
  toInternal() {
    throw invalidRequest('/v1/completions is only available for OpenAI-format providers.', 'model');
  },
  promptTokens: (b) => (typeof b.prompt === 'string' ? countTokens(b.prompt) : Array.isArray(b.prompt) ? b.prompt.reduce((n: number, p: unknown) => n + (typeof p === 'string' ? countTokens(p) : Array.isArray(p) ? p.length : 1), 0) : 0),
  maxOutputTokens: (b) => b.max_tokens ?? undefined,
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
