/**
 * What happens to every top-level request parameter a client sends, per inbound surface and
 * provider type (issue #11: zero silent drops). One table, data in code: the engine applies it
 * on every translated request (src/engine/chat.ts), `GET /v1/capabilities` serves it, and the
 * README's table is rendered from it (`renderParameterTable`).
 *
 * - `mapped`: the adapter translates it; `to` names where it lands upstream (a body path, or
 *   `url …` when it changes the URL).
 * - `passed`: forwarded verbatim under the same name. A provider type whose wire dialect is the
 *   surface's (OpenAI clients → openai, openai-compatible, mock; Anthropic clients → anthropic)
 *   takes the pass-through path: the client's bytes go upstream, every field included.
 * - `refused`: a 400 naming the parameter — except when the value is `unless` (the value that
 *   asks for nothing the target lacks, e.g. `n: 1`) or null.
 *
 * A field the table does not list is refused on a translated request (passed on pass-through).
 */

import { BEDROCK_FROM_ANTHROPIC, BEDROCK_FROM_OPENAI } from './bedrock/capabilities.js';
import { vertexRule } from './vertex/capabilities.js';
import { COHERE_FROM_ANTHROPIC, COHERE_FROM_OPENAI, COHERE_ONLY_FIELDS } from './cohere/capabilities.js';

export const PROVIDER_TYPE_NAMES = ['openai', 'openai-compatible', 'anthropic', 'gemini', 'mistral', 'mock', 'bedrock', 'vertex', 'cohere'] as const;
export type ProviderTypeName = (typeof PROVIDER_TYPE_NAMES)[number];

/** The inbound surfaces, by their wire dialect: `/v1/chat/completions` and `/v1/messages`. */
export type SurfaceDialect = 'openai' | 'anthropic';

export type ParameterRule =
  | { status: 'mapped'; to: string }
  | { status: 'passed' }
  | { status: 'refused'; why: string; unless?: unknown };

type Row = Record<ProviderTypeName, ParameterRule>;
/** The columns kept beside their adapters (joined in by `withColumns`). */
type SideColumn = 'bedrock' | 'cohere';
/** A row without the columns kept beside their adapters, nor Vertex's (derived from each row). */
export type BaseRow = Omit<Row, SideColumn | 'vertex'>;

/**
 * `rows` with the side columns joined in, and Vertex's derived from each row
 * (./vertex/capabilities.ts); a parameter a column does not cover stops the gateway at start-up.
 */
function withColumns(rows: Readonly<Record<string, BaseRow>>, columns: Readonly<Record<SideColumn, Readonly<Record<string, ParameterRule>>>>): Readonly<Record<string, Row>> {
  return Object.fromEntries(
    Object.entries(rows).map(([param, row]) => {
      const out = { ...row, vertex: vertexRule(row) } as Row;
      for (const [type, column] of Object.entries(columns) as Array<[SideColumn, Readonly<Record<string, ParameterRule>>]>) {
        const rule = column[param];
        if (!rule) throw new Error(`providers/capabilities.ts: the ${type} column has no rule for '${param}'`);
        out[type] = rule;
      }
      return [param, out];
    }),
  );
}

const withExtraFields = (rows: Readonly<Record<string, Row>>, ...extra: Array<Record<string, Row>>): Readonly<Record<string, Row>> => Object.assign({}, rows, ...extra);

/**
 * OpenAI-surface rows for extra body fields only `type` takes verbatim: passed to it and to the
 * OpenAI pass-through types (the client's bytes go upstream whole), refused for every other
 * type, so no side column has to list them.
 */
function extraFieldsOf(type: ProviderTypeName, fields: readonly string[], why: string): Record<string, Row> {
  const passes = (t: ProviderTypeName) => t === type || t === 'openai' || t === 'openai-compatible' || t === 'mock';
  const row = Object.fromEntries(PROVIDER_TYPE_NAMES.map((t) => [t, passes(t) ? ({ status: 'passed' } as ParameterRule) : ({ status: 'refused', why } as ParameterRule)])) as Row;
  return Object.fromEntries(fields.map((f) => [f, row]));
}

const P: ParameterRule = { status: 'passed' };
const M = (to: string): ParameterRule => ({ status: 'mapped', to });
const R = (why: string, unless?: unknown): ParameterRule => ({ status: 'refused', why, ...(unless !== undefined && { unless }) });

const NO_FIELD = 'the provider has no such parameter';
/**
 * The end-user id (OpenAI `user`, Anthropic `metadata.user_id` — Claude Code sends one on every
 * request) for a provider with no such field: kept in the usage record's `user` tag, not sent.
 */
const LEDGER_USER = 'ledger tags.user';

/** OpenAI clients: openai, openai-compatible and mock are pass-through; the rest translate. */
const fromOpenAI = (anthropic: ParameterRule, gemini: ParameterRule, mistral: ParameterRule): BaseRow => ({
  openai: P,
  'openai-compatible': P,
  mock: P,
  anthropic,
  gemini,
  mistral,
});
const refusedOutsideOpenAI = (why: string, unless?: unknown): BaseRow => fromOpenAI(R(why, unless), R(why, unless), R(why, unless));

/** Anthropic clients: anthropic is pass-through; mock speaks OpenAI's wire, as openai does. */
const fromAnthropic = (openai: ParameterRule, gemini: ParameterRule, mistral: ParameterRule, compatible = openai): BaseRow => ({
  openai,
  'openai-compatible': compatible,
  mock: openai,
  anthropic: P,
  gemini,
  mistral,
});
const refusedOutsideAnthropic = (why: string): BaseRow => fromAnthropic(R(why), R(why), R(why));

/**
 * `/v1/chat/completions`: every property of OpenAI's CreateChatCompletionRequest
 * (openai-openapi.yaml), then the provider-specific fields an OpenAI SDK client can send as
 * extra body fields.
 */
export const OPENAI_CHAT_PARAMETERS: Readonly<Record<string, Row>> = withExtraFields(withColumns({
  messages: fromOpenAI(M('messages'), M('contents'), M('messages')),
  model: fromOpenAI(M('model'), M('url /models/{model}'), M('model')),
  metadata: fromOpenAI(R('Anthropic metadata holds only user_id (send `user`)'), R(NO_FIELD), P),
  top_logprobs: refusedOutsideOpenAI('log probabilities are not translated'),
  temperature: fromOpenAI(M('temperature'), M('generationConfig.temperature'), M('temperature')),
  top_p: fromOpenAI(M('top_p'), M('generationConfig.topP'), M('top_p')),
  user: fromOpenAI(M('metadata.user_id'), M(LEDGER_USER), M(LEDGER_USER)),
  safety_identifier: fromOpenAI(M('metadata.user_id'), M(LEDGER_USER), M(LEDGER_USER)),
  prompt_cache_key: fromOpenAI(R(NO_FIELD), R(NO_FIELD), P),
  prompt_cache_retention: refusedOutsideOpenAI(NO_FIELD),
  prompt_cache_options: refusedOutsideOpenAI(NO_FIELD),
  service_tier: refusedOutsideOpenAI('service tiers are named differently per provider'),
  modalities: refusedOutsideOpenAI('text output only', ['text']),
  verbosity: refusedOutsideOpenAI(NO_FIELD),
  reasoning_effort: fromOpenAI(M('thinking.budget_tokens'), M('generationConfig.thinkingConfig.thinkingBudget'), M('reasoning_effort')),
  max_completion_tokens: fromOpenAI(M('max_tokens'), M('generationConfig.maxOutputTokens'), M('max_tokens')),
  frequency_penalty: fromOpenAI(R(NO_FIELD, 0), M('generationConfig.frequencyPenalty'), M('frequency_penalty')),
  presence_penalty: fromOpenAI(R(NO_FIELD, 0), M('generationConfig.presencePenalty'), M('presence_penalty')),
  web_search_options: refusedOutsideOpenAI('built-in web search is not translated'),
  response_format: fromOpenAI(M('output_config.format'), M('generationConfig.responseJsonSchema'), M('response_format')),
  audio: refusedOutsideOpenAI('text output only'),
  store: refusedOutsideOpenAI('stored completions are OpenAI-only', false),
  moderation: refusedOutsideOpenAI(NO_FIELD),
  stream: fromOpenAI(M('stream'), M('url :streamGenerateContent?alt=sse'), M('stream')),
  stop: fromOpenAI(M('stop_sequences'), M('generationConfig.stopSequences'), M('stop')),
  logit_bias: refusedOutsideOpenAI(NO_FIELD),
  logprobs: refusedOutsideOpenAI('log probabilities are not translated', false),
  max_tokens: fromOpenAI(M('max_tokens'), M('generationConfig.maxOutputTokens'), M('max_tokens')),
  n: fromOpenAI(R('Anthropic returns one completion per request', 1), M('generationConfig.candidateCount'), M('n')),
  prediction: fromOpenAI(R(NO_FIELD), R(NO_FIELD), P),
  seed: fromOpenAI(R(NO_FIELD), M('generationConfig.seed'), M('random_seed')),
  stream_options: fromOpenAI(M('stream'), M('url :streamGenerateContent?alt=sse'), M('stream')),
  tools: fromOpenAI(M('tools'), M('tools'), M('tools')),
  tool_choice: fromOpenAI(M('tool_choice'), M('toolConfig'), M('tool_choice')),
  parallel_tool_calls: fromOpenAI(M('tool_choice.disable_parallel_tool_use'), R('Gemini cannot turn parallel calls off', true), M('parallel_tool_calls')),
  function_call: refusedOutsideOpenAI('deprecated: send tool_choice'),
  functions: refusedOutsideOpenAI('deprecated: send tools'),
  // Provider-specific fields (OpenAI SDK: extra body properties).
  top_k: fromOpenAI(M('top_k'), M('generationConfig.topK'), R(NO_FIELD)),
  safe_prompt: fromOpenAI(R('Mistral-only'), R('Mistral-only'), P),
  prompt_mode: fromOpenAI(R('Mistral-only'), R('Mistral-only'), P),
  guardrails: fromOpenAI(R('Mistral-only'), R('Mistral-only'), P),
  safetySettings: fromOpenAI(R('Gemini-only'), P, R('Gemini-only')),
  cachedContent: fromOpenAI(R('Gemini-only'), P, R('Gemini-only')),
}, { bedrock: BEDROCK_FROM_OPENAI, cohere: COHERE_FROM_OPENAI }), extraFieldsOf('cohere', COHERE_ONLY_FIELDS, 'Cohere-only'));

/**
 * `/v1/messages`: every MessageCreateParams body field (@anthropic-ai/sdk; its `user_profile_id`
 * and `workspace_id` are headers, not body fields), plus the sampling knobs.
 */
export const ANTHROPIC_MESSAGES_PARAMETERS: Readonly<Record<string, Row>> = withColumns({
  model: fromAnthropic(M('model'), M('url /models/{model}'), M('model')),
  messages: fromAnthropic(M('messages'), M('contents'), M('messages')),
  max_tokens: fromAnthropic(M('max_completion_tokens'), M('generationConfig.maxOutputTokens'), M('max_tokens')),
  system: fromAnthropic(M('messages'), M('systemInstruction'), M('messages')),
  metadata: fromAnthropic(M('user'), M(LEDGER_USER), M(LEDGER_USER)),
  stop_sequences: fromAnthropic(M('stop'), M('generationConfig.stopSequences'), M('stop')),
  stream: fromAnthropic(M('stream'), M('url :streamGenerateContent?alt=sse'), M('stream')),
  temperature: fromAnthropic(M('temperature'), M('generationConfig.temperature'), M('temperature')),
  top_p: fromAnthropic(M('top_p'), M('generationConfig.topP'), M('top_p')),
  top_k: fromAnthropic(R('OpenAI has no top_k'), M('generationConfig.topK'), R(NO_FIELD), P),
  tools: fromAnthropic(M('tools'), M('tools'), M('tools')),
  tool_choice: fromAnthropic(M('tool_choice'), M('toolConfig'), M('tool_choice')),
  thinking: fromAnthropic(M('reasoning_effort'), M('generationConfig.thinkingConfig.thinkingBudget'), M('reasoning_effort')),
  output_config: fromAnthropic(M('response_format'), M('generationConfig.responseJsonSchema'), M('response_format')),
  output_format: fromAnthropic(M('response_format'), M('generationConfig.responseJsonSchema'), M('response_format')),
  cache_control: refusedOutsideAnthropic('automatic prompt caching is Anthropic-only'),
  container: refusedOutsideAnthropic('code-execution containers are Anthropic-only'),
  diagnostics: refusedOutsideAnthropic(NO_FIELD),
  inference_geo: refusedOutsideAnthropic(NO_FIELD),
  service_tier: refusedOutsideAnthropic('service tiers are named differently per provider'),
  speed: refusedOutsideAnthropic(NO_FIELD),
  // Refused for every target, Anthropic included (src/surfaces/anthropic-messages/parse-messages-request.ts).
  mcp_servers: { ...refusedOutsideAnthropic('MCP servers are not supported by this gateway'), anthropic: R('MCP servers are not supported by this gateway') },
}, { bedrock: BEDROCK_FROM_ANTHROPIC, cohere: COHERE_FROM_ANTHROPIC });

const TABLES: Record<SurfaceDialect, Readonly<Record<string, Row>>> = {
  openai: OPENAI_CHAT_PARAMETERS,
  anthropic: ANTHROPIC_MESSAGES_PARAMETERS,
};

/** The outcome of checking one translated request's top-level fields. */
export type ParameterCheck = { ok: true; passed?: Record<string, unknown> } | { ok: false; param: string; message: string };

/**
 * Applies the table to a body bound for `providerType` over a translated path: a refused or
 * unknown field → its name and why; otherwise the fields to forward verbatim. Cost: one lookup
 * per top-level field.
 */
export function checkParameters(surface: SurfaceDialect, providerType: string, body: Record<string, unknown>): ParameterCheck {
  const table = TABLES[surface];
  let passed: Record<string, unknown> | undefined;
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    const rule = Object.hasOwn(table, key) ? table[key]![providerType as ProviderTypeName] : undefined;
    if (!rule) {
      // The name is the client's own text: echoed back, but never at any length.
      const name = key.length > 64 ? `${key.slice(0, 64)}…` : key;
      return { ok: false, param: name, message: `'${name}' is not a parameter this gateway can carry to a ${providerType} provider (GET /v1/capabilities lists them).` };
    }
    if (rule.status === 'passed') (passed ??= {})[key] = value;
    else if (rule.status === 'refused' && !(rule.unless !== undefined && JSON.stringify(value) === JSON.stringify(rule.unless))) {
      const unless = rule.unless !== undefined ? ` (only ${JSON.stringify(rule.unless)} is accepted)` : '';
      return { ok: false, param: key, message: `'${key}' is not supported by ${providerType} providers${unless}: ${rule.why}.` };
    }
  }
  return passed ? { ok: true, passed } : { ok: true };
}

/** One provider type's column of the table, per surface: what the registry (./registry.ts) holds for the type. */
export type ProviderCapabilities = Readonly<Record<SurfaceDialect, Readonly<Record<string, ParameterRule>>>>;

/** `type`'s column; throws for a type the table has no column for (a new type must get one). */
export function capabilitiesOf(type: string): ProviderCapabilities {
  if (!(PROVIDER_TYPE_NAMES as readonly string[]).includes(type)) throw new Error(`providers/capabilities.ts has no column for provider type "${type}"`);
  const column = (table: Readonly<Record<string, Row>>) => Object.fromEntries(Object.entries(table).map(([param, row]) => [param, row[type as ProviderTypeName]]));
  return { openai: column(OPENAI_CHAT_PARAMETERS), anthropic: column(ANTHROPIC_MESSAGES_PARAMETERS) };
}

/** The table as served at `GET /v1/capabilities`. */
export function capabilitiesDocument(): Record<string, unknown> {
  return {
    object: 'capabilities',
    provider_types: PROVIDER_TYPE_NAMES,
    surfaces: {
      '/v1/chat/completions': OPENAI_CHAT_PARAMETERS,
      '/v1/messages': ANTHROPIC_MESSAGES_PARAMETERS,
    },
  };
}

/** The README's tables (one per surface): parameter × provider type → mapped / passed / refused. */
export function renderParameterTable(): string {
  const cell = (r: ParameterRule): string =>
    r.status === 'mapped' ? `mapped → \`${r.to}\`` : r.status === 'passed' ? 'passed' : r.unless !== undefined ? `refused unless \`${JSON.stringify(r.unless)}\`` : 'refused';
  const table = (title: string, rows: Readonly<Record<string, Row>>): string =>
    [
      `| ${title} | ${PROVIDER_TYPE_NAMES.join(' | ')} |`,
      `|---|${PROVIDER_TYPE_NAMES.map(() => '---').join('|')}|`,
      ...Object.entries(rows).map(([name, row]) => `| \`${name}\` | ${PROVIDER_TYPE_NAMES.map((t) => cell(row[t])).join(' | ')} |`),
    ].join('\n');
  return `${table('/v1/chat/completions', OPENAI_CHAT_PARAMETERS)}\n\n${table('/v1/messages', ANTHROPIC_MESSAGES_PARAMETERS)}\n`;
}
