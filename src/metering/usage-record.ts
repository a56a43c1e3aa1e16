/**
 * One usage record per request, of every kind (docs/contract.md §4). Lean on purpose: no copies of the
 * price table or of request bodies (docs/architecture.md §5).
 */
export interface UsageRecord {
  requestId: string;
  /** Unix ms. */
  time: number;
  teamId: string | null;
  keyId: string | null;
  kind: 'llm' | 'prompt' | 'proxy' | 'responses' | 'rerank' | 'images';
  /** The provider and model the request resolved to (the one that answered, else the route's first). */
  provider: string | null;
  model: string | null;
  /** The model name as the caller typed it (`openai/gpt-4o`, an alias…); null when not a string. */
  requestedModel?: string | null;
  promptName?: string | null;
  promptVersion?: string | null;
  route?: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNanos: number;
  /** Tokens counted by the gateway because the provider gave none (or the stream was cut). */
  estimated: boolean;
  latencyMs: number;
  status: number;
  attempts: number;
  cached?: boolean;
  /** The error code of a failed request (`upstream_auth_failed`, `rate_limit_exceeded`, …); not stored in the ledger. */
  errorCode?: string;
  bytesIn?: number;
  bytesOut?: number;
  tags?: Record<string, string>;
}

/** Where settled usage goes: the ledger (SQLite/PostgreSQL), metrics, counters. Must not block the client. */
export interface UsageSink {
  record(rec: UsageRecord): void;
}

type RecordCore = Pick<UsageRecord, 'requestId' | 'teamId' | 'keyId' | 'kind' | 'status' | 'attempts'>;

/** A usage record: tokens and cost zero unless given, the latency measured from `startedAt` (performance.now()). */
export function usageRecord(fields: RecordCore & Partial<UsageRecord>, startedAt: number): UsageRecord {
  return {
    time: Date.now(),
    provider: null,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanos: 0,
    estimated: false,
    latencyMs: Math.round(performance.now() - startedAt),
    ...fields,
  };
}
