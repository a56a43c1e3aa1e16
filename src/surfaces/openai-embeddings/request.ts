import { Type } from '@sinclair/typebox';
import { compileBodyCheck } from '../openai-shared/validate.js';

/** Checks a `POST /v1/embeddings` body (400 in OpenAI's envelope naming the field). */
export const validateEmbeddingsRequest = compileBodyCheck(
  Type.Object({
    model: Type.String({ minLength: 1 }),
    input: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 }), Type.Array(Type.Integer(), { minItems: 1 }), Type.Array(Type.Array(Type.Integer()), { minItems: 1 })]),
    dimensions: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
    encoding_format: Type.Optional(Type.Union([Type.Literal('float'), Type.Literal('base64')])),
    // Cohere's `input_type` (search_document, search_query, …), an extra body field: sent on to OpenAI-format hosts as is, unused by other translated providers.
    input_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
  'embeddings request',
);
