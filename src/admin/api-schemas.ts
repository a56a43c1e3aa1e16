import { Type, type TSchema } from '@sinclair/typebox';
import { REQUEST_LOG_KINDS } from './request-logs.js';

/**
 * The admin API's request and response bodies. The routes validate request bodies with these
 * (./validate-body.ts) before the service's own checks (team exists, nano-dollar precision…),
 * and `/openapi.json` publishes the same objects, so the document cannot drift from the API.
 */
const Period = Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('total')], { description: 'Calendar UTC period; `total` never resets.' });

export const Limits = Type.Object(
  {
    budget_usd: Type.Optional(
      Type.Object(
        {
          amount: Type.Number({ minimum: 0, description: 'USD, at most nano-dollar precision and 9007199.254740991 (2^53 − 1 nano-dollars)' }),
          period: Period,
          alert_at: Type.Optional(
            Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), {
              maxItems: 10,
              description: 'Percentages of `amount` at which a budget alert goes to the configured webhooks (once each per period); wins over `alerts.budget_thresholds`; `[]` = no budget alerts.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    tokens: Type.Optional(Type.Object({ amount: Type.Integer({ minimum: 0, description: 'input + output tokens' }), period: Period }, { additionalProperties: false })),
    rpm: Type.Optional(Type.Integer({ minimum: 0, description: 'requests per calendar minute' })),
    tpm: Type.Optional(Type.Integer({ minimum: 0, description: 'tokens per calendar minute' })),
    max_concurrency: Type.Optional(Type.Integer({ minimum: 0, description: 'requests in flight at once' })),
  },
  { additionalProperties: false, description: 'Every field optional; a request that would exceed one gets 429 naming it. `null` removes all limits.' },
);

const NullableLimits = Type.Union([Limits, Type.Null()]);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Time = Type.String({ description: 'ISO 8601 date-time (UTC)' });

const RequestLogsFlag = Type.Boolean({ description: "Store this team's request and response bodies (request logs; redacted, capped, kept for `request_logs.retention_days`). Default false." });
export const TeamCreate = Type.Object({ name: Name, limits: Type.Optional(NullableLimits), request_logs: Type.Optional(RequestLogsFlag) }, { additionalProperties: false });
export const TeamUpdate = Type.Object({ name: Type.Optional(Name), limits: Type.Optional(NullableLimits), request_logs: Type.Optional(RequestLogsFlag) }, { additionalProperties: false });
export const KeyCreate = Type.Object(
  {
    team_id: Type.String({ minLength: 1 }),
    name: Type.Optional(Name),
    limits: Type.Optional(NullableLimits),
    allowed_models: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1 }), { description: 'model names; a trailing * matches a prefix' }), Type.Null()])),
    expires_at: Type.Optional(Type.Union([Time, Type.Null()])),
  },
  { additionalProperties: false },
);

export const Team = Type.Object({ id: Type.String(), name: Type.String(), limits: NullableLimits, request_logs: Type.Boolean(), created_at: Time });
export const Key = Type.Object({
  id: Type.String(),
  team_id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'shown for recognition; the key itself is never shown again' }),
  allowed_models: Type.Union([Type.Array(Type.String()), Type.Null()]),
  limits: NullableLimits,
  expires_at: Type.Union([Time, Type.Null()]),
  revoked_at: Type.Union([Time, Type.Null()]),
  created_at: Time,
});
export const KeyCreated = Type.Intersect([Key, Type.Object({ key: Type.String({ description: 'the key, shown once' }) })]);

const Totals = {
  requests: Type.Integer(),
  input_tokens: Type.Integer(),
  output_tokens: Type.Integer(),
  cost_usd: Type.Number({ description: 'USD (display); exact sums are integers in `cost_nanos`' }),
  cost_nanos: Type.Integer({ description: 'integer nano-dollars, summed exactly' }),
};
export const UsageReport = Type.Object({
  data: Type.Array(Type.Object({ ...Totals }, { additionalProperties: true, description: 'one row per group, with the group_by field (team, key, model, provider, day, prompt or route)' })),
  total: Type.Object(Totals),
});

export const list = (item: TSchema) => Type.Object({ data: Type.Array(item) });

/** One audit entry (GET /admin/audit): `before`/`after` hold the fields the change touched. */
export const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    time: Time,
    actor: Type.String({ description: '`admin` (the admin key) or `signal:SIGHUP`' }),
    action: Type.String({ description: 'team.create, team.update, key.create, key.revoke, prompt.publish, config.reload' }),
    target_type: Type.String({ description: 'team, key, prompt or config' }),
    target_id: Type.String(),
    before: Type.Optional(Type.Unknown()),
    after: Type.Optional(Type.Unknown()),
    detail: Type.Optional(Type.Unknown({ description: 'entries recorded before before/after existed' })),
  },
  { additionalProperties: false },
);
export const AuditList = Type.Object(
  { data: Type.Array(AuditEntry), next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next (older) page; null on the last' }) },
  { additionalProperties: false },
);
export const ConfigReload = Type.Object(
  {
    object: Type.Literal('config.reload'),
    changed: Type.Array(Type.String(), { description: 'top-level config sections whose content changed' }),
    restart_required: Type.Array(Type.String(), { description: 'changed sections that take effect at the next start (server, storage, redis, prompts, telemetry)' }),
  },
  { additionalProperties: false },
);
const Nullable = (s: TSchema) => Type.Union([s, Type.Null()]);
/** A stored request (request logs), as listed: no bodies. */
export const RequestLogSummary = Type.Object({
  id: Type.String({ description: 'the request id (`x-request-id`), also the usage record’s' }),
  object: Type.Literal('request_log'),
  time: Time,
  team_id: Nullable(Type.String()),
  key_id: Nullable(Type.String()),
  kind: Type.Union(REQUEST_LOG_KINDS.map((k) => Type.Literal(k))),
  model: Nullable(Type.String({ description: 'the model the request resolved to (as in usage reports), else the name the caller typed' })),
  status: Type.Integer({ description: 'HTTP status the client got (499: the client went away)' }),
  request_truncated: Type.Boolean(),
  response_truncated: Type.Boolean(),
});
export const RequestLogDetail = Type.Intersect([
  RequestLogSummary,
  Type.Object({
    request_body: Nullable(Type.String({ description: 'the body as received, secrets replaced by [REDACTED], cut to max_body_bytes' })),
    response_body: Nullable(Type.String({ description: 'the body sent; a stream as its assembled answer; embeddings without vectors' })),
    usage: Nullable(
      Type.Object({
        provider: Nullable(Type.String()),
        requested_model: Nullable(Type.String()),
        input_tokens: Type.Integer(),
        output_tokens: Type.Integer(),
        cost_usd: Type.Number(),
        cost_nanos: Type.Integer(),
        latency_ms: Type.Integer(),
        attempts: Type.Integer(),
      }),
    ),
  }),
]);
export const RequestLogList = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(RequestLogSummary, { description: 'newest first' }),
  has_more: Type.Boolean(),
  next_cursor: Nullable(Type.String({ description: 'pass as `cursor` for the next (older) page' })),
});
