import { Type } from '@sinclair/typebox';
import { compileBodyCheck } from '../openai-shared/validate.js';

/** Cohere's limit on documents per rerank call, and ours. */
export const MAX_RERANK_DOCUMENTS = 1000;

/**
 * Checks a `POST /v1/rerank` body, Cohere's rerank request (400 in OpenAI's envelope naming the
 * field): documents are strings or `{text}` objects, every number an integer within bounds, and a
 * field it does not know (Cohere's `rank_fields`, say) is refused rather than dropped.
 */
export const validateRerankRequest = compileBodyCheck(
  Type.Object({
    model: Type.String({ minLength: 1, maxLength: 256 }),
    query: Type.String({ minLength: 1, maxLength: 100_000 }),
    documents: Type.Array(Type.Union([Type.String(), Type.Object({ text: Type.String() })]), { minItems: 1, maxItems: MAX_RERANK_DOCUMENTS }),
    top_n: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RERANK_DOCUMENTS })),
    return_documents: Type.Optional(Type.Boolean()),
    max_tokens_per_doc: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  }, { additionalProperties: false }),
  'rerank request',
);
