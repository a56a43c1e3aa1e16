import { Type, type Static } from '@sinclair/typebox';
import { allProviderOptions, providerTypes } from '../../providers/registry.js';
import { MAX_USD } from '../metering/money.js';
import { RoutesConfig } from '../proxy/config-schema.js';

/**
 * The config file's shape (docs/contract.md §2) — one schema validates, types and documents it.
 * Unknown keys are errors (a typo like `base_ur` must not be silently ignored).
 */
const Url = Type.String({ format: 'uri', pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*://' });

/**
 * A `providers.<name>` entry: the fields every type has, then each type's own (the provider
 * registry lists the types and their options; a field is accepted on any entry).
 */
export const ProviderEntry = Type.Object(
  {
    type: Type.Union(Object.keys(providerTypes).map((t) => Type.Literal(t))),
    base_url: Type.Optional(Url),
    api_key: Type.Optional(Type.String()),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    ...allProviderOptions(),
  },
  { additionalProperties: false },
);

const Target = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object({ model: Type.String({ minLength: 1 }), weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) }, { additionalProperties: false }),
]);

export const AliasEntry = Type.Object(
  {
    targets: Type.Array(Target, { minItems: 1 }),
    strategy: Type.Optional(
      Type.Union([Type.Literal('fallback'), Type.Literal('round-robin'), Type.Literal('weighted'), Type.Literal('least-latency'), Type.Literal('cheapest')]),
    ),
    cache: Type.Optional(Type.Object({ ttl_s: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
    /** Circuit breaker per target: `failures` within `window_s` → skipped for `cooldown_s`, then probed. */
    cooldown: Type.Optional(
      Type.Object(
        { failures: Type.Integer({ minimum: 1 }), window_s: Type.Number({ exclusiveMinimum: 0 }), cooldown_s: Type.Number({ exclusiveMinimum: 0 }) },
        { additionalProperties: false },
      ),
    ),
    /** On a context-window error, try the next target whose context window is larger (default true). */
    context_window_fallback: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const KeyEntry = Type.Union([
  Type.String({ minLength: 8 }),
  Type.Object({ key: Type.String({ minLength: 8 }), name: Type.Optional(Type.String()) }, { additionalProperties: false }),
]);

export const ConfigFile = Type.Object(
  {
    server: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Type.String()),
          port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
          body_limit_mb: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          log_level: Type.Optional(Type.String()),
          /** One `info` line per request (team, model, status, tokens, cost…); default true. */
          access_log: Type.Optional(Type.Boolean()),
          /** Time a client has to send its request headers (default 30 s); then 408 and the connection closes. */
          headers_timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
          /** Time a client has to send its whole request, body included (default 5 min). Responses are not bounded by it. */
          request_timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
          /** Upstream requests one client request may make, retries and fallbacks together. */
          max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    providers: Type.Optional(Type.Record(Type.String({ pattern: '^[a-zA-Z0-9_.-]+$' }), ProviderEntry)),
    models: Type.Optional(Type.Record(Type.String(), AliasEntry)),
    routes: Type.Optional(RoutesConfig),
    prompts: Type.Optional(Type.Object({ dir: Type.Optional(Type.String()) }, { additionalProperties: false })),
    auth: Type.Optional(Type.Object({ keys: Type.Optional(Type.Array(KeyEntry)) }, { additionalProperties: false })),
    storage: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String()),
          // PostgreSQL only: connections per instance, and where the ledger's local spool lives.
          pool_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          spool_dir: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    redis: Type.Optional(Type.Object({ url: Type.Optional(Type.String()) }, { additionalProperties: false })),
    /** Worker processes on one port (node:cluster); `auto` = one per core. */
    workers: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 256 }), Type.Literal('auto')])),
    /** The usage ledger: how long raw records are kept (the daily roll-up is kept). */
    ledger: Type.Optional(Type.Object({ retention_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500 })) }, { additionalProperties: false })),
    pricing: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()))),
    docs: Type.Optional(Type.Object({ public: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
    metrics: Type.Optional(
      Type.Object(
        {
          public: Type.Optional(Type.Boolean()),
          token: Type.Optional(Type.String({ minLength: 16 })),
          team_label: Type.Optional(Type.Boolean()),
          max_teams: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** OpenTelemetry traces over OTLP/HTTP; off unless an endpoint is set (here or OTEL_EXPORTER_OTLP_ENDPOINT). */
    telemetry: Type.Optional(
      Type.Object(
        {
          otlp_endpoint: Type.Optional(Url),
          service_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          headers: Type.Optional(Type.Record(Type.String(), Type.String())),
          sample_ratio: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Request and response bodies stored with the usage record: for every team, or per team (admin API). */
    request_logs: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          max_body_bytes: Type.Optional(Type.Integer({ minimum: 256, maximum: 10_485_760 })),
          retention_days: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
          redact: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Stored Responses API answers (`POST /v1/responses` with `store`, the default). */
    responses: Type.Optional(Type.Object({ retention_days: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })) }, { additionalProperties: false })),
    /** The console: a web UI served at `/ui`, signed in with the admin key or a team key. */
    ui: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          session_hours: Type.Optional(Type.Number({ minimum: 0.1, maximum: 720 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Budget alerts delivered to webhooks. */
    alerts: Type.Optional(
      Type.Object(
        {
          webhooks: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  url: Url,
                  secret: Type.Optional(Type.String({ minLength: 16 })),
                  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('slack')])),
                },
                { additionalProperties: false },
              ),
              { maxItems: 20 },
            ),
          ),
          budget_thresholds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), { minItems: 1, maxItems: 10 })),
          spend_spike: Type.Optional(
            Type.Object(
              { window_minutes: Type.Integer({ minimum: 1, maximum: 1440 }), usd: Type.Number({ exclusiveMinimum: 0, maximum: MAX_USD }) },
              { additionalProperties: false },
            ),
          ),
          retry: Type.Optional(
            Type.Object(
              { attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })), backoff_ms: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000 })) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type ConfigFile = Static<typeof ConfigFile>;
/** The type-specific options are typed by their own schemas (providers/registry.ts), not here. */
export type ProviderEntry = Static<typeof ProviderEntry> & { preset?: string; [option: string]: unknown };
export type AliasEntry = Static<typeof AliasEntry>;
