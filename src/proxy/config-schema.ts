import { Type, type Static } from '@sinclair/typebox';

/**
 * One entry of `routes:` (docs/contract.md §2, §6): ordinary REST proxied through the same engine.
 * Unknown keys are errors, like everywhere else in the config file.
 */
const UpstreamUrl = Type.String({ format: 'uri', pattern: '^https?://' });

const Upstream = Type.Union([
  UpstreamUrl,
  Type.Object({ url: UpstreamUrl, weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) }, { additionalProperties: false }),
]);

const Method = Type.Union(
  ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => Type.Literal(m)),
);

const HeaderRewrite = Type.Object(
  {
    set: Type.Optional(Type.Record(Type.String({ pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$' }), Type.String())),
    remove: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

export const RouteEntry = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, pattern: '^[a-zA-Z0-9_.-]+$' })),
    match: Type.Object(
      {
        /** Path prefix, matched on whole segments: `/api/users` matches `/api/users/7`, not `/api/usersX`. */
        path: Type.String({ pattern: '^/' }),
        methods: Type.Optional(Type.Array(Method, { minItems: 1 })),
        /** Host header (port ignored), case-insensitive. */
        host: Type.Optional(Type.String({ minLength: 1 })),
        /** Every listed header must be present with exactly this value. */
        headers: Type.Optional(Type.Record(Type.String(), Type.String())),
      },
      { additionalProperties: false },
    ),
    /** Remove the matched prefix before forwarding (`/api/users/7` → upstream `/7`). */
    strip_prefix: Type.Optional(Type.Boolean()),
    upstreams: Type.Array(Upstream, { minItems: 1 }),
    strategy: Type.Optional(Type.Union([Type.Literal('round-robin'), Type.Literal('weighted'), Type.Literal('least-connections')])),
    auth: Type.Optional(Type.Union([Type.Literal('required'), Type.Literal('none')])),
    /** Time to the upstream's response headers. */
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Longest silence allowed inside a response body (SSE streams may idle). */
    idle_timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    retries: Type.Optional(
      Type.Object(
        {
          /** Extra attempts after the first (each on another upstream when there is one). */
          max: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
          backoff_ms: Type.Optional(Type.Integer({ minimum: 0 })),
          /** Also retry POST/PATCH (off: a non-idempotent request may already have had its effect). */
          non_idempotent: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    health_check: Type.Optional(
      Type.Object(
        {
          path: Type.String({ pattern: '^/' }),
          interval_ms: Type.Optional(Type.Integer({ minimum: 50 })),
          timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
          healthy_threshold: Type.Optional(Type.Integer({ minimum: 1 })),
          unhealthy_threshold: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Passive ejection: consecutive failures (connection errors, 502/503/504, timeouts) take an upstream out. */
    ejection: Type.Optional(
      Type.Object(
        {
          consecutive_failures: Type.Optional(Type.Integer({ minimum: 1 })),
          eject_ms: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    request_headers: Type.Optional(HeaderRewrite),
    response_headers: Type.Optional(HeaderRewrite),
    /** GET responses only. */
    cache: Type.Optional(
      Type.Object(
        {
          ttl_s: Type.Integer({ minimum: 1 }),
          /** Bodies larger than this are streamed, never stored. */
          max_body_kb: Type.Optional(Type.Integer({ minimum: 1 })),
          /** One entry for every caller (public data); off: each team (or static key) has its own entries. */
          shared: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RoutesConfig = Type.Array(RouteEntry);

export type RouteEntry = Static<typeof RouteEntry>;
