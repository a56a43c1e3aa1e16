/**
 * A process that writes ledger records and dies without committing the last ones:
 * `ledger-child.ts <db url> <instance id or -> <committed ids,…> <spooled-only ids,…>` records the
 * first group, flushes, records the second group, then SIGKILLs itself (its spool lock dies with it).
 */
import { createLedger } from '../../src/storage/sqlite/ledger.js';
import { openStorage } from '../../src/storage/sqlite/open.js';
import { usageRecord } from '../../src/metering/usage-record.js';

const [url, id, committed, spooled] = process.argv.slice(2) as [string, string, string, string];
const ledger = createLedger(openStorage(url), () => {}, { batchMs: 60_000, batchSize: 1_000, ...(id !== '-' && { instanceId: id }) });
const rec = (requestId: string) => usageRecord({ requestId, teamId: 'team_x', keyId: null, kind: 'llm', status: 200, attempts: 1, inputTokens: 3, costNanos: 7 }, performance.now());
for (const r of committed.split(',').filter(Boolean)) ledger.record(rec(r));
ledger.flush();
for (const r of spooled.split(',').filter(Boolean)) ledger.record(rec(r));
process.kill(process.pid, 'SIGKILL');
