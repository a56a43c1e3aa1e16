import { sql } from 'drizzle-orm';
import type { UsageRecord, UsageSink } from '../usage-record.js';
import type { Storage } from './open.js';
import { usageRecords } from './schema/index.js';

export interface Ledger extends UsageSink {
  /** Retries rows a failed insert kept in memory (disk full, lock timeout). Returns how many are still pending. */
  flush(): number;
  readonly pending: number;
}

/**
 * The usage ledger sink. Each record is one synchronous, prepared INSERT in WAL mode, done
 * before the response's last bytes leave (engine/chat.ts): measured at a few µs per row on
 * this machine (test/metering/ledger.test.ts prints it), below anything a client can see, and
 * with no batch there is no spool to lose on `kill -9` (DESIGN §5). See open.ts for why
 * synchronous=NORMAL is enough for kill -9.
 *
 * A failing insert never fails the request: the row is kept in memory and retried on the next
 * record and at shutdown, and the failure is reported once through `onError`.
 */
export function createLedger(storage: Storage, onError: (err: Error) => void = () => {}): Ledger {
  const insert = storage.db.insert(usageRecords).values(placeholders()).prepare();
  const queue: UsageRecord[] = [];
  let reported = false;

  const write = (rec: UsageRecord): boolean => {
    try {
      insert.run(toRow(rec));
      return true;
    } catch (err) {
      if (!reported) onError(err as Error);
      reported = true;
      return false;
    }
  };
  const flush = (): number => {
    while (queue.length && write(queue[0]!)) queue.shift();
    if (!queue.length) reported = false;
    return queue.length;
  };

  return {
    record(rec) {
      if (queue.length) flush();
      if (queue.length || !write(rec)) queue.push(rec);
    },
    flush,
    get pending() {
      return queue.length;
    },
  };
}



const COLUMNS = [
  'requestId',
  'time',
  'teamId',
  'keyId',
  'kind',
  'provider',
  'model',
  'promptName',
  'promptVersion',
  'route',
  'inputTokens',
  'outputTokens',
  'cachedTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'costMicros',
  'estimated',
  'latencyMs',
  'status',
  'attempts',
  'cached',
  'bytesIn',
  'bytesOut',
  'tags',
] as const;

function placeholders(): typeof usageRecords.$inferInsert {
  const out: Record<string, unknown> = {};
  for (const c of COLUMNS) out[c] = sql.placeholder(c);
  return out as typeof usageRecords.$inferInsert;
}

function toRow(r: UsageRecord): Record<(typeof COLUMNS)[number], unknown> {
  return {
    requestId: r.requestId,
    time: r.time,
    teamId: r.teamId,
    keyId: r.keyId,
    kind: r.kind,
    provider: r.provider,
    model: r.model,
    promptName: r.promptName ?? null,
    promptVersion: r.promptVersion ?? null,
    route: r.route ?? null,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cachedTokens: r.cachedTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    reasoningTokens: r.reasoningTokens,
    costMicros: r.costMicros,
    estimated: r.estimated ? 1 : 0,
    latencyMs: r.latencyMs,
    status: r.status,
    attempts: r.attempts,
    cached: r.cached === undefined ? null : r.cached ? 1 : 0,
    bytesIn: r.bytesIn ?? null,
    bytesOut: r.bytesOut ?? null,
    tags: r.tags ? JSON.stringify(r.tags) : null,
  };
}
