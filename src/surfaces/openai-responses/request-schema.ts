import { Type } from '@sinclair/typebox';
import { MAX_TOKENS_FIELD } from '../openai-chat/chat-request-schema.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));

/**
 * `POST /v1/responses` (OpenAI's CreateResponse): the fields the gateway reads are typed and
 * bounded here; item and tool shapes are checked while translating (to-internal.ts), and an
 * OpenAI-format upstream receives the body as sent.
 */
export const ResponsesRequestSchema = Type.Object({
  model: Type.String({ minLength: 1 }),
  input: Type.Optional(Type.Union([Type.String(), Type.Array(Type.Object({}), { maxItems: 10_000 })])),
  instructions: Nullable(Type.String()),
  tools: Nullable(Type.Array(Type.Object({ type: Type.String() }), { maxItems: 512 })),
  tool_choice: Nullable(Type.Union([Type.String(), Type.Object({ type: Type.String() })])),
  parallel_tool_calls: Nullable(Type.Boolean()),
  text: Nullable(Type.Object({ format: Type.Optional(Type.Object({ type: Type.String() })) })),
  reasoning: Nullable(Type.Object({ effort: Nullable(Type.String()) })),
  max_output_tokens: Nullable(Type.Integer({ minimum: 1, maximum: MAX_TOKENS_FIELD })),
  temperature: Nullable(Type.Number({ minimum: 0, maximum: 2 })),
  top_p: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  metadata: Nullable(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 512 }), { maxProperties: 16 })),
  store: Nullable(Type.Boolean()),
  stream: Nullable(Type.Boolean()),
  user: Nullable(Type.String()),
  previous_response_id: Nullable(Type.String()),
});
