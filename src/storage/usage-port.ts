/** The usage ledger's read side: reports, record listings and spend sums (integers, summed in the database). */

export const GROUP_BY = ['team', 'key', 'model', 'provider', 'day', 'week', 'month', 'prompt', 'route'] as const;
/** `day` is the UTC date (YYYY-MM-DD), `week` the UTC date of its Monday, `month` YYYY-MM. */
export type GroupBy = (typeof GROUP_BY)[number];

/** The filters every usage query shares. */
export interface UsageFilter {
  teamId?: string;
  keyId?: string;
  model?: string;
  provider?: string;
  /** Unix ms, inclusive. */
  from?: number;
  /** Unix ms, exclusive. */
  to?: number;
}

export interface UsageGroupRow {
  group: string | null;
  /** null without a split. */
  split: string | null;
  requests: number;
  input: number;
  output: number;
  nanos: number;
}

export interface RecordsFilter extends UsageFilter {
  /** `ok` (< 400), `error` (≥ 400) or one status code. */
  status?: 'ok' | 'error' | number;
  kind?: string;
  limit: number;
  /** Records older than this id. */
  before?: number;
}

/** A stored usage record (the ledger's row), with its id. */
export interface UsageRow {
  id: number;
  requestId: string;
  time: number;
  teamId: string | null;
  keyId: string | null;
  kind: string;
  provider: string | null;
  model: string | null;
  requestedModel: string | null;
  promptName: string | null;
  promptVersion: string | null;
  route: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNanos: number;
  estimated: boolean;
  latencyMs: number;
  status: number;
  attempts: number;
  cached: boolean | null;
  bytesIn: number | null;
  bytesOut: number | null;
  tags: string | null;
}

export interface UsageTotalsRow {
  requests: number;
  errors: number;
  input: number;
  output: number;
  nanos: number;
}

export interface UsageRepo {
  /** Sums per group (and split) value, ordered by them. */
  groups(filter: UsageFilter, groupBy: GroupBy, splitBy?: GroupBy): Promise<UsageGroupRow[]>;
  /** Newest first by id, `limit` rows at most, each with its key's display prefix. */
  records(filter: RecordsFilter): Promise<Array<{ record: UsageRow; keyPrefix: string | null }>>;
  totals(filter: UsageFilter): Promise<UsageTotalsRow>;
  /** The latency of the record at `offset` in latency order (percentiles), if any. */
  latencyAt(filter: UsageFilter, offset: number): Promise<number | undefined>;
  byRequestId(requestId: string): Promise<UsageRow | undefined>;
  /** Spend (nano-dollars) and tokens (input + output) of one team or key since `since` (budgets, counter rebuilds). */
  spendSince(scope: 'team' | 'key', id: string, since: number): Promise<{ nanos: number; tokens: number }>;
  /** Spend per team since `since` (alert tallies). */
  teamSpendSince(since: number): Promise<Array<{ teamId: string; nanos: number }>>;
  /** Deletes at most `max` raw records older than `cutoff` (retention; the daily roll-up keeps their sums); returns how many went. */
  deleteOlderThan(cutoff: number, max: number): Promise<number>;
}
