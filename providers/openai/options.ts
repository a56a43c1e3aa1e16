import { Type } from '@sinclair/typebox';

/** `providers.<name>` fields the OpenAI adapter reads (types openai and openai-compatible). */
export const openAIOptions = {
  /** Azure OpenAI */
  api_version: Type.Optional(Type.String()),
  /** Set false for OpenAI-compatible hosts that reject `stream_options`. */
  stream_usage: Type.Optional(Type.Boolean()),
  /** The host's rerank endpoint, relative to the base URL (`/rerank`); hosts without one do not rerank. */
  rerank_path: Type.Optional(Type.String({ pattern: '^/[A-Za-z0-9/_.-]*$', maxLength: 200 })),
  /** Its rerank body: Cohere's (`top_n`; Jina and most self-hosted rerankers) or Voyage's (`top_k`). */
  rerank_format: Type.Optional(Type.Union([Type.Literal('cohere'), Type.Literal('voyage')])),
};
