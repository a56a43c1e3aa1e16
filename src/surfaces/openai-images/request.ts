import { Type } from '@sinclair/typebox';
import { compileBodyCheck } from '../openai-shared/validate.js';

/** Images one request may ask for (OpenAI's own bound for `n`). */
export const MAX_IMAGES = 10;

/** OpenAI's longest prompt (gpt-image-1: 32,000 characters); shorter model limits are the upstream's to enforce. */
const MAX_PROMPT_CHARS = 32_000;

const oneOf = (...values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));

/**
 * Checks a `POST /v1/images/generations` body (400 in OpenAI's envelope naming the field). Every
 * field the gateway reads (to price and reserve) is bounded here; others pass through unread.
 * Streaming (gpt-image-1 `stream: true`) is not offered: refused rather than answered unmetered.
 */
export const validateImagesRequest = compileBodyCheck(
  Type.Object({
    model: Type.String({ minLength: 1, maxLength: 256 }),
    prompt: Type.String({ minLength: 1, maxLength: MAX_PROMPT_CHARS }),
    n: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_IMAGES })),
    size: Type.Optional(Type.String({ pattern: '^(auto|[1-9][0-9]{1,4}x[1-9][0-9]{1,4})$' })),
    quality: Type.Optional(oneOf('auto', 'standard', 'hd', 'low', 'medium', 'high')),
    response_format: Type.Optional(oneOf('url', 'b64_json')),
    background: Type.Optional(oneOf('auto', 'transparent', 'opaque')),
    output_format: Type.Optional(oneOf('png', 'jpeg', 'webp')),
    output_compression: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    moderation: Type.Optional(oneOf('auto', 'low')),
    style: Type.Optional(oneOf('vivid', 'natural')),
    user: Type.Optional(Type.String({ maxLength: 256 })),
    stream: Type.Optional(Type.Literal(false)),
  }),
  'images request',
);
