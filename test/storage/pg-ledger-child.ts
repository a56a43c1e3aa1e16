/**
 * A process that writes PostgreSQL ledger records and dies without writing the last ones:
 * `pg-ledger-child.ts <db url> <spool base> <instance id> <written ids,…> <spooled-only ids,…>`
 * records the first group, flushes, records the second group, then SIGKILLs itself.
 */
import { usageRecord } from '../../src/metering/usage-record.js';
import { createPgLedger } from '../../src/storage/postgres/ledger.js';
import { openPostgres } from '../../src/storage/postgres/open.js';
import { insertUsageRecords } from '../../src/storage/postgres/usage-insert.js';

const [url, spoolBase, id, written, spooled] = process.argv.slice(2) as [string, string, string, string, string];
const storage = await openPostgres(url, { migrate: false, max: 1 });
const ledger = await createPgLedger((recs) => insertUsageRecords(storage.db, recs), () => {}, { spoolBase, instanceId: id, batchMs: 60_000, batchSize: 100_000 });
const rec = (requestId: string) => usageRecord({ requestId, teamId: 'team_x', keyId: null, kind: 'llm', status: 200, attempts: 1, inputTokens: 3, costNanos: 7 }, performance.now());
for (const r of written.split(',').filter(Boolean)) ledger.record(rec(r));
await ledger.flush();
for (const r of spooled.split(',').filter(Boolean)) ledger.record(rec(r));
process.kill(process.pid, 'SIGKILL');
