import { Type, type TSchema } from '@sinclair/typebox';

/**
 * The routes the console reads beyond teams, keys and usage (src/server/routes/reports.ts,
 * catalog.ts, ui.ts): their response schemas and operations in `/openapi.json`, merged into
 * the admin part by ./openapi.ts.
 */
const Time = Type.String({ description: 'ISO 8601 date-time (UTC)' });
const Nullable = (s: TSchema) => Type.Union([s, Type.Null()]);
const Period = Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('total')]);

export const UsageRecord = Type.Object(
  {
    id: Type.Integer({ description: 'ledger row id (the paging cursor)' }),
    request_id: Type.String(),
    time: Time,
    team_id: Nullable(Type.String()),
    key_id: Nullable(Type.String()),
    key_prefix: Nullable(Type.String({ description: 'the key’s display prefix' })),
    kind: Type.String({ description: 'chat, completion, embedding, messages, prompt, proxy' }),
    provider: Nullable(Type.String()),
    model: Nullable(Type.String()),
    requested_model: Nullable(Type.String()),
    prompt: Nullable(Type.String()),
    prompt_version: Nullable(Type.String()),
    route: Nullable(Type.String()),
    status: Type.Integer(),
    latency_ms: Type.Integer(),
    input_tokens: Type.Integer(),
    output_tokens: Type.Integer(),
    cost_nanos: Type.Integer({ description: 'integer nano-dollars' }),
    cost_usd: Type.Number({ description: 'cost_nanos / 10⁹, for display' }),
    estimated: Type.Boolean({ description: 'tokens counted by the gateway (no upstream usage)' }),
    cached: Type.Boolean({ description: 'answered from the response cache' }),
    attempts: Type.Integer(),
  },
  { additionalProperties: false },
);
export const UsageRecordList = Type.Object(
  { data: Type.Array(UsageRecord), next_cursor: Nullable(Type.String({ description: 'pass as `cursor` for the next (older) page; null on the last' })) },
  { additionalProperties: false },
);
export const UsageSummary = Type.Object(
  {
    requests: Type.Integer(),
    errors: Type.Integer({ description: 'requests answered with a status ≥ 400' }),
    input_tokens: Type.Integer(),
    output_tokens: Type.Integer(),
    cost_nanos: Type.Integer(),
    cost_usd: Type.Number(),
    latency_p50_ms: Nullable(Type.Integer({ description: 'nearest-rank percentile of the recorded latency' })),
    latency_p95_ms: Nullable(Type.Integer()),
  },
  { additionalProperties: false },
);
const Budget = Type.Object({
  period: Period,
  amount_nanos: Type.Integer(),
  amount_usd: Type.Number(),
  spent_nanos: Type.Integer({ description: 'settled spend in the current period, from the ledger' }),
  spent_usd: Type.Number(),
  period_start: Time,
  resets_at: Nullable(Time),
});
const TokenQuota = Type.Object({ period: Period, amount: Type.Integer(), used: Type.Integer(), period_start: Time, resets_at: Nullable(Time) });
export const BudgetList = Type.Object({
  data: Type.Array(
    Type.Object({ scope: Type.Union([Type.Literal('team'), Type.Literal('key')]), id: Type.String(), name: Type.String(), team_id: Type.String(), budget: Nullable(Budget), tokens: Nullable(TokenQuota) }),
  ),
});
export const OwnTeam = Type.Object({ id: Type.String(), name: Type.String(), limits: Type.Unknown(), created_at: Time, budget: Nullable(Budget), tokens: Nullable(TokenQuota) });
const price = (what: string) => Nullable(Type.Integer({ description: `${what}: integer micro-dollars per million tokens (USD per 1M × 10⁶); null when unpriced` }));
export const ModelCatalog = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(
    Type.Object({
      id: Type.String(),
      provider: Type.String({ description: 'the configured provider serving it' }),
      provider_type: Type.String(),
      model: Type.String(),
      mode: Nullable(Type.String()),
      context_window: Nullable(Type.Integer()),
      max_output_tokens: Nullable(Type.Integer()),
      input_per_mtok_micros: price('input'),
      output_per_mtok_micros: price('output'),
      cached_input_per_mtok_micros: price('cached input'),
      price_source: Nullable(Type.String()),
      price_as_of: Nullable(Type.String()),
    }),
  ),
  aliases: Type.Array(Type.Object({ id: Type.String(), strategy: Type.String(), targets: Type.Array(Type.String()) })),
});
export const ConsoleSession = Type.Object({
  signed_in: Type.Boolean({ description: 'false (and nothing else) without a valid session' }),
  kind: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('team-key')])),
  team_id: Type.Optional(Nullable(Type.String())),
  team_name: Type.Optional(Nullable(Type.String())),
  key_prefix: Type.Optional(Nullable(Type.String())),
  expires_at: Type.Optional(Time),
});

const plain = (s: TSchema) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
export const consoleSchemas: Record<string, unknown> = {
  UsageRecordList: plain(UsageRecordList),
  UsageSummary: plain(UsageSummary),
  BudgetList: plain(BudgetList),
  OwnTeam: plain(OwnTeam),
  ModelCatalog: plain(ModelCatalog),
  ConsoleSession: plain(ConsoleSession),
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, name: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
const error = { description: 'An error in OpenAI’s envelope (400 names the parameter; 401 without a key or session; 403 for another team or without the admin key).', content: { 'application/json': { schema: ref('Error') } } };
const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', schema, description });
const filters = [
  q('team_id', 'one team'),
  q('key_id', 'one key'),
  q('model', 'the resolved model (without its provider)'),
  q('provider', 'the configured provider'),
  q('from', 'ISO date or date-time, inclusive (UTC when no zone)'),
  q('to', 'ISO date (that day included) or date-time, exclusive'),
];
const recordParams = [
  ...filters,
  q('status', '`ok` (< 400), `error` (≥ 400) or one status code'),
  q('kind', 'chat, completion, embedding, messages, prompt, proxy'),
  q('limit', 'records per page', { type: 'integer', minimum: 1, maximum: 500, default: 50 }),
  q('cursor', 'the previous page’s next_cursor'),
];
const admin = (o: Record<string, unknown>) => ({ tags: ['admin'], security: [{ adminKey: [] }], ...o });
const team = (o: Record<string, unknown>) => ({ tags: ['admin'], security: [{ bearerAuth: [] }], ...o });

export const consolePaths: Record<string, unknown> = {
  '/admin/usage/records': {
    get: admin({ operationId: 'usageRecords', summary: 'The newest usage records (one per request), filtered, a page at a time.', parameters: recordParams, responses: { '200': ok('Records, newest first', 'UsageRecordList'), default: error } }),
  },
  '/admin/usage/summary': {
    get: admin({ operationId: 'usageSummary', summary: 'Requests, errors, tokens, exact spend and latency p50/p95 for the filters.', parameters: filters, responses: { '200': ok('The summary', 'UsageSummary'), default: error } }),
  },
  '/admin/budgets': {
    get: admin({ operationId: 'listBudgets', summary: 'Every team and key with a budget or token quota: spent in the current period (ledger) and when it resets.', responses: { '200': ok('Budgets', 'BudgetList'), default: error } }),
  },
  '/v1/usage/records': {
    get: team({ operationId: 'ownUsageRecords', summary: 'A team key reads its own team’s newest usage records (another team_id is a 403).', parameters: recordParams.filter((p) => p.name !== 'team_id'), responses: { '200': ok('Records, newest first', 'UsageRecordList'), default: error } }),
  },
  '/v1/usage/summary': {
    get: team({ operationId: 'ownUsageSummary', summary: 'The summary for a team key’s own team.', parameters: filters.filter((p) => p.name !== 'team_id'), responses: { '200': ok('The summary', 'UsageSummary'), default: error } }),
  },
  '/v1/team': {
    get: team({ operationId: 'ownTeam', summary: 'A team key reads its own team: limits, and its budget and token quota in the current period.', responses: { '200': ok('The team', 'OwnTeam'), default: error } }),
  },
  '/v1/catalog': {
    get: team({ operationId: 'modelCatalog', summary: 'The models the configured providers serve, with prices per million tokens, context windows and the serving provider; the aliases and their targets. A key with allowed_models sees only those.', responses: { '200': ok('The catalog', 'ModelCatalog'), default: error } }),
  },
  '/ui/api/session': {
    post: {
      tags: ['admin'],
      security: [],
      operationId: 'consoleSignIn',
      summary: 'The console’s sign-in: {"key": "<admin key or team key>"} (with header `x-tollgate-ui: 1`) → an HttpOnly, SameSite=Strict session cookie.',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } } } } },
      responses: { '201': ok('The session (the cookie is in Set-Cookie)', 'ConsoleSession'), default: error },
    },
    get: { tags: ['admin'], security: [], operationId: 'consoleSession', summary: 'The current console session (cookie and `x-tollgate-ui: 1`).', responses: { '200': ok('The session', 'ConsoleSession'), default: error } },
    delete: { tags: ['admin'], security: [], operationId: 'consoleSignOut', summary: 'Sign-out: the session is revoked (a replayed cookie is refused) and the cookie cleared.', responses: { '200': { description: 'Signed out' }, default: error } },
  },
};
