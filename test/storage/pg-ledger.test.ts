import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageRecord, type UsageRecord } from '../../src/metering/usage-record.js';
import { createPgLedger } from '../../src/storage/postgres/ledger.js';
import { openPostgres, type PgStorage } from '../../src/storage/postgres/open.js';
import { insertUsageRecords } from '../../src/storage/postgres/usage-insert.js';
import { tempDir } from '../helpers/instance.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';

/**
 * The usage ledger on PostgreSQL (src/storage/postgres/ledger.ts): the local spool is the
 * write-ahead record; batches go to PostgreSQL in the background; a killed process loses
 * nothing; PostgreSQL down loses nothing and duplicates nothing.
 */
const skip = postgresSkipReason();
const ROOT = new URL('../../', import.meta.url).pathname;
const rec = (i: number): UsageRecord => usageRecord({ requestId: `req_${i}`, teamId: 'team_x', keyId: null, kind: 'llm', status: 200, attempts: 1, inputTokens: 3, costNanos: 7 }, performance.now());

describe.skipIf(skip)(`PostgreSQL ledger${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let pg: TestPostgres;
  let tmp: ReturnType<typeof tempDir>;
  let n = 0;
  beforeAll(async () => {
    pg = await startPostgres();
    tmp = tempDir();
  });
  afterAll(async () => {
    await pg?.stop();
    tmp?.remove();
  });

  /** A fresh migrated database; its name, storage and a reader of its request ids. */
  const fresh = async () => {
    const name = `ledger_${++n}`;
    const url = await pg.createDatabase(name);
    const storage = await openPostgres(url, { max: 2 });
    const ids = async () => (await pg.psql(name, 'SELECT request_id FROM usage_records ORDER BY request_id')).split('\n').filter(Boolean);
    return { name, url, storage, ids, spoolBase: `${tmp.dir}/${name}` };
  };
  const ledgerOn = (storage: PgStorage, spoolBase: string, id: string, more: { batchMs?: number; onError?: (e: Error) => void; onRecovered?: (n: number) => void; insert?: (recs: readonly UsageRecord[]) => Promise<void> } = {}) =>
    createPgLedger(more.insert ?? ((recs) => insertUsageRecords(storage.db, recs)), more.onError ?? (() => {}), {
      spoolBase,
      instanceId: id,
      batchMs: more.batchMs ?? 20,
      ...(more.onRecovered && { onRecovered: more.onRecovered }),
    });

  it('a record spooled but not yet written survives kill -9: the next start writes it, once', async () => {
    const { url, storage, ids, spoolBase } = await fresh();
    try {
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/storage/pg-ledger-child.ts', url, spoolBase, 'gw', 'req_1,req_2', 'req_3,req_4'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      expect(await ids()).toEqual(['req_1', 'req_2']);
      expect(readFileSync(`${spoolBase}.spool-gw`, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
      const restarted = await ledgerOn(storage, spoolBase, 'gw');
      // Written before createPgLedger resolved (counters reseed from the database right after).
      expect(await ids()).toEqual(['req_1', 'req_2', 'req_3', 'req_4']);
      expect(readFileSync(`${spoolBase}.spool-gw`, 'utf8')).toBe('');
      await restarted.close();
      // The same records replayed again (a crash between the commit and the spool update) are not stored twice.
      writeFileSync(`${spoolBase}.spool-gw`, `${JSON.stringify(rec(3))}\n${JSON.stringify(rec(4))}\n{"torn`);
      await (await ledgerOn(storage, spoolBase, 'gw')).close();
      expect(await ids()).toEqual(['req_1', 'req_2', 'req_3', 'req_4']);
    } finally {
      await storage.close();
    }
  });

  it('records arriving while a batch is in flight stay in the spool, exactly those, after the batch commits', async () => {
    const { storage, ids, spoolBase } = await fresh();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const ledger = await ledgerOn(storage, spoolBase, 'gw', {
      batchMs: 60_000,
      insert: async (recs) => {
        if (++calls === 1) await gate; // the first batch waits until we say
        await insertUsageRecords(storage.db, recs);
      },
    });
    try {
      ledger.record(rec(1));
      ledger.record(rec(2));
      const first = ledger.flush();
      await new Promise((r) => setTimeout(r, 10));
      const r3 = rec(3);
      ledger.record(r3); // behind the batch in flight
      release();
      await first;
      expect(await ids()).toEqual(['req_1', 'req_2']);
      expect(readFileSync(`${spoolBase}.spool-gw`, 'utf8')).toBe(`${JSON.stringify(r3)}\n`);
      ledger.record(rec(4)); // appended to the new spool file
      expect(await ledger.flush()).toBe(0);
      expect(await ids()).toEqual(['req_1', 'req_2', 'req_3', 'req_4']);
      expect(readFileSync(`${spoolBase}.spool-gw`, 'utf8')).toBe('');
    } finally {
      await ledger.close();
      await storage.close();
    }
  });

  it('PostgreSQL down: records keep being accepted and wait in the spool; when it returns they are written, none lost or doubled', async () => {
    const { storage, ids, spoolBase } = await fresh();
    const errors: Error[] = [];
    const recovered: number[] = [];
    const ledger = await ledgerOn(storage, spoolBase, 'gw', { onError: (e) => errors.push(e), onRecovered: (k) => recovered.push(k) });
    try {
      for (let i = 0; i < 50; i++) ledger.record(rec(i));
      expect(await ledger.flush()).toBe(0);
      await pg.down();
      for (let i = 50; i < 300; i++) {
        ledger.record(rec(i)); // never throws, never waits
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(await storage.ping()).toBe(false);
      expect(errors).toHaveLength(1); // reported once, not per retry, as the socket's reason (not drizzle's whole statement)
      expect(errors[0]!.message).toMatch(/ECONNREFUSED|terminating connection|shut ?down/i);
      expect(ledger.pending).toBe(250);
      expect(readFileSync(`${spoolBase}.spool-gw`, 'utf8').split('\n').filter(Boolean)).toHaveLength(250);
      await pg.up();
      // The retry timer writes them without being asked.
      const end = Date.now() + 15_000;
      while (ledger.pending && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(ledger.pending).toBe(0);
      expect(recovered).toEqual([250]);
      const stored = await ids();
      expect(stored).toHaveLength(300);
      expect(new Set(stored).size).toBe(300);
      expect(readFileSync(`${spoolBase}.spool-gw`, 'utf8')).toBe('');
    } finally {
      await ledger.close();
      await storage.close();
    }
  }, 40_000);

  it('the batch insert (column arrays through unnest) stores awkward text, nulls, booleans and big integers exactly', async () => {
    const { storage } = await fresh();
    try {
      const odd = 'a"b\\c,{d} NULL \'e\' ü 🚀';
      const r: UsageRecord = { ...rec(1), teamId: odd, keyId: 'NULL', provider: null, model: '', route: '{}', costNanos: 2 ** 53 - 1, estimated: true, cached: false, bytesIn: 0, tags: { q: 'x"\\y', n: 'NULL' } };
      await insertUsageRecords(storage.db, [r, rec(2)]);
      await insertUsageRecords(storage.db, [r]); // again: ignored
      const row = await storage.store.usage.byRequestId('req_1');
      expect(row).toMatchObject({ teamId: odd, keyId: 'NULL', provider: null, model: '', route: '{}', costNanos: 2 ** 53 - 1, estimated: true, cached: false, bytesIn: 0, bytesOut: null });
      expect(JSON.parse(row!.tags!)).toEqual({ q: 'x"\\y', n: 'NULL' });
      expect((await storage.store.usage.byRequestId('req_2'))?.cached).toBeNull();
      expect((await storage.store.usage.totals({})).requests).toBe(2);
    } finally {
      await storage.close();
    }
  });

  it("a dead instance's spool is adopted by a live one; a live instance's spool is never touched", async () => {
    const { url, storage, ids, spoolBase } = await fresh();
    const a = await ledgerOn(storage, spoolBase, 'a', { batchMs: 60_000 });
    try {
      const r1 = rec(1);
      a.record(r1); // a is alive and writes it itself
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/storage/pg-ledger-child.ts', url, spoolBase, 'c', '', 'req_2'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      const b = await ledgerOn(storage, spoolBase, 'b'); // adopts c's spool at start
      expect(await ids()).toEqual(['req_2']);
      expect(readFileSync(`${spoolBase}.spool-c`, 'utf8')).toBe('');
      expect(readFileSync(`${spoolBase}.spool-a`, 'utf8')).toBe(`${JSON.stringify(r1)}\n`);
      await b.adoptOrphans();
      expect(await ids()).toEqual(['req_2']);
      await a.flush();
      expect(await ids()).toEqual(['req_1', 'req_2']);
      await b.close();
    } finally {
      await a.close();
      await storage.close();
    }
  });
});
