import { Type } from '@sinclair/typebox';

/**
 * The part of OpenAI's `CreateChatCompletionRequest` the gateway checks before doing anything
 * (docs/wire-facts.md §1, openai-openapi.yaml). Unknown fields pass through untouched (the pass-through
 * path forwards them to the upstream): only wrong types and impossible values are refused here,
 * each with the failing field named.
 */
const Str = Type.String();
/** Bounds of integer fields (finite, and exact in a double); the model's own output limit is checked by the engine. */
export const MAX_TOKENS_FIELD = 2_147_483_647;
export const SEED_MIN = -(2 ** 63);
export const SEED_MAX = 2 ** 63;
const ContentPart = Type.Object({ type: Type.String() });
const Content = Type.Union([Str, Type.Array(ContentPart), Type.Null()]);

const Message = Type.Object({
  role: Type.Union([
    Type.Literal('system'),
    Type.Literal('developer'),
    Type.Literal('user'),
    Type.Literal('assistant'),
    Type.Literal('tool'),
    Type.Literal('function'),
  ]),
  content: Type.Optional(Content),
  name: Type.Optional(Str),
  tool_call_id: Type.Optional(Str),
  tool_calls: Type.Optional(
    Type.Array(Type.Object({ id: Str, type: Type.Optional(Str), function: Type.Object({ name: Str, arguments: Str }) })),
  ),
});

// A `function` tool must carry its `function` (other tool types, e.g. `custom`, have their own field).
const Tool = Type.Object(
  {
    type: Str,
    function: Type.Optional(Type.Object({ name: Str, description: Type.Optional(Str), parameters: Type.Optional(Type.Object({})), strict: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])) })),
  },
  { if: { properties: { type: { const: 'function' } } }, then: { required: ['function'] } },
);

export const ChatCompletionRequestSchema = Type.Object({
  model: Type.String({ minLength: 1 }),
  messages: Type.Array(Message, { minItems: 1 }),
  stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  stream_options: Type.Optional(Type.Union([Type.Object({ include_usage: Type.Optional(Type.Boolean()) }), Type.Null()])),
  temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()])),
  top_p: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
  /** Not OpenAI's: Anthropic's / Gemini's sampling cut-off, mapped there (providers/capabilities.ts). */
  top_k: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100000 }), Type.Null()])),
  n: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 128 }), Type.Null()])),
  max_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_TOKENS_FIELD }), Type.Null()])),
  max_completion_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_TOKENS_FIELD }), Type.Null()])),
  stop: Type.Optional(Type.Union([Str, Type.Array(Str, { maxItems: 4 }), Type.Null()])),
  seed: Type.Optional(Type.Union([Type.Integer({ minimum: SEED_MIN, maximum: SEED_MAX }), Type.Null()])),
  top_logprobs: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 20 }), Type.Null()])),
  presence_penalty: Type.Optional(Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()])),
  frequency_penalty: Type.Optional(Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()])),
  tools: Type.Optional(Type.Array(Tool)),
  tool_choice: Type.Optional(Type.Union([Str, Type.Object({ type: Str, function: Type.Optional(Type.Object({ name: Str })) })])),
  parallel_tool_calls: Type.Optional(Type.Boolean()),
  response_format: Type.Optional(Type.Object({ type: Type.Union([Type.Literal('text'), Type.Literal('json_object'), Type.Literal('json_schema')]) })),
  user: Type.Optional(Str),
  metadata: Type.Optional(Type.Union([Type.Record(Str, Str), Type.Null()])),
  reasoning_effort: Type.Optional(Type.Union([Str, Type.Null()])),
});
