import { Type } from '@sinclair/typebox';

/** `providers.<name>` fields the Anthropic adapter reads. */
export const anthropicOptions = {
  /** max_tokens sent when the client gives none (Anthropic requires one). */
  default_max_tokens: Type.Optional(Type.Integer({ minimum: 1 })),
};
