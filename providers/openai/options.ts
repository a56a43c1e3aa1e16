import { Type } from '@sinclair/typebox';

/** `providers.<name>` fields the OpenAI adapter reads (types openai and openai-compatible). */
export const openAIOptions = {
  /** Azure OpenAI */
  api_version: Type.Optional(Type.String()),
  /** Set false for OpenAI-compatible hosts that reject `stream_options`. */
  stream_usage: Type.Optional(Type.Boolean()),
};
