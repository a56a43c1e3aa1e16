import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyStore } from '../../src/admin/key-store.js';
import { usageReport } from '../../src/admin/usage-report.js';
import { sha256 } from '../../src/config/snapshot.js';
import { openUrl, columnsOf, type OpenedDb } from '../../src/storage/transfer/open-url.js';
import { getTableName } from 'drizzle-orm';
import { adminCall, chat, startInstance, tempDir } from '../helpers/instance.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliBundleOptions } from '../../src/server/bundle-options.mjs';
import { runCli } from './cli-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The binary as `npm run build` bundles it, written under dist/ as the package has it: the
 * database commands load the native SQLite binding (left outside the bundle) from node_modules.
 */
function buildCli(): { bin: string; remove(): void } {
  mkdirSync(join(root, 'dist'), { recursive: true }); // a fresh clone has no dist/ yet
  const dir = mkdtempSync(join(root, 'dist', 'test-cli-'));
  buildSync(cliBundleOptions(join(root, 'src/cli/main.ts'), dir));
  return { bin: join(dir, 'cli.mjs'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `tollgate db export` / `db import` / `db migrate`: a SQLite deployment built through a real
 * gateway (teams, keys, a revoked key, hundreds of requests, audit entries) moved to a throwaway
 * PostgreSQL by the built CLI binary — every table's count and integer sums equal, the same rows,
 * the same reports, keys authenticating on PostgreSQL; importing twice changes nothing.
 */
const skip = postgresSkipReason();

describe.skipIf(skip)(`tollgate db: SQLite → PostgreSQL${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let cli: ReturnType<typeof buildCli>;
  let pg: TestPostgres;
  const keys: Record<string, string> = {};
  let sqliteUrl: string;

  beforeAll(async () => {
    tmp = tempDir();
    cli = buildCli();
    pg = await startPostgres();
    sqliteUrl = `sqlite:${tmp.dir}/ledger.db`;
    const gw = await startInstance('providers:\n  mock: { type: mock }\n', { TOLLGATE_DATABASE_URL: sqliteUrl });
    try {
      for (const name of ['search', 'ads']) {
        const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name, limits: { budget_usd: { amount: 100, period: 'month' } } })).json;
        for (const k of ['a', 'b']) keys[`${name}_${k}`] = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name: k })).json.key;
      }
      const revoked = (await adminCall(gw.url, 'GET', '/admin/keys')).json.data.find((k: { name: string; prefix: string }) => k.name === 'b' && keys.ads_b!.startsWith(k.prefix));
      await adminCall(gw.url, 'DELETE', `/admin/keys/${revoked.id}`);
      const live = [keys.search_a!, keys.search_b!, keys.ads_a!];
      for (let i = 0; i < 800; i += 8) {
        await Promise.all(
          live.flatMap((key, j) => [chat(gw.url, key, { model: j ? 'mock/echo' : 'mock/other', messages: [{ role: 'user', content: `hello ${i} ${'x '.repeat(i % 17)}` }] })]),
        );
      }
      await chat(gw.url, 'tg_not_a_key_000000000000', { model: 'mock/echo', messages: [{ role: 'user', content: 'x' }] });
    } finally {
      await gw.close(2000);
    }
  }, 120_000);
  afterAll(async () => {
    cli?.remove();
    await pg?.stop();
    tmp?.remove();
  });

  /** count(*) and the sum of every integer column, per table (exact: summed in the database, as text). */
  async function tallies(db: OpenedDb): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    for (const t of db.tables) {
      const name = getTableName(t);
      const ints = columnsOf(t).filter((c) => c.col.dataType === 'number' || c.col.dataType === 'boolean');
      const exprs = ['count(*)', ...ints.map((c) => `coalesce(sum(${c.col.dataType === 'boolean' ? `CASE WHEN "${c.name}" THEN 1 ELSE 0 END` : `"${c.name}"`}), 0)`)];
      const text = `SELECT ${exprs.map((e, i) => `CAST(${e} AS TEXT) AS c${i}`).join(', ')} FROM "${name}"`;
      const row = db.dialect === 'sqlite' ? (db.storage.sqlite.prepare(text).get() as Record<string, string>) : ((await db.storage.client.unsafe(text))[0] as Record<string, string>);
      out[name] = Object.fromEntries(['rows', ...ints.map((c) => c.name)].map((k, i) => [k, String(row[`c${i}`])]));
    }
    return out;
  }

  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1) // the header names the dialect
      .sort();

  it('moves every table without loss; keys authenticate on PostgreSQL; a second import changes nothing', async () => {
    const file = join(tmp.dir, 'export.jsonl');
    const exp = await runCli(cli.bin, ['db', '--database-url', sqliteUrl, 'export', '--out', file]);
    expect(exp.stderr).toMatch(/exported teams 2, api_keys 4, .*usage_records 300/);
    expect(exp.code).toBe(0);
    const pgUrl = await pg.createDatabase('moved');
    const imp = await runCli(cli.bin, ['db', 'import', file], { TOLLGATE_DATABASE_URL: pgUrl });
    expect(imp.stderr).toBe('');
    expect(imp.stdout).toMatch(/imported teams 2, api_keys 4/);
    expect(imp.code).toBe(0);

    const [src, dst] = [await openUrl(sqliteUrl), await openUrl(pgUrl)];
    try {
      const before = await tallies(src);
      expect(Number(before.usage_records!.rows)).toBe(300);
      expect(Number(before.audit_log!.rows)).toBeGreaterThan(4);
      expect(Number(before.usage_daily!.requests)).toBe(Number(before.usage_records!.rows));
      expect(await tallies(dst)).toEqual(before);
      // Again: nothing doubles.
      expect((await runCli(cli.bin, ['db', '--database-url', pgUrl, 'import', file])).code).toBe(0);
      expect(await tallies(dst)).toEqual(before);
      // The same rows, value for value: PostgreSQL exported gives the SQLite export's lines.
      const back = join(tmp.dir, 'back.jsonl');
      expect((await runCli(cli.bin, ['db', '--database-url', pgUrl, 'export', '--out', back])).code).toBe(0);
      expect(lines(back)).toEqual(lines(file));
      // The same reports from both.
      for (const groupBy of ['team', 'key', 'model', 'day'] as const) {
        expect(await usageReport(dst.storage.store, { groupBy }), groupBy).toEqual(await usageReport(src.storage.store, { groupBy }));
      }

      // Keys authenticate through the gateway's key store over PostgreSQL; the revoked one does not.
      const ks = await createKeyStore(dst.storage.store);
      for (const k of ['search_a', 'search_b', 'ads_a']) expect(await ks.find(sha256(keys[k]!)), k).toMatchObject({ teamId: expect.stringMatching(/^team_/) });
      expect(await ks.find(sha256(keys.ads_b!))).toBeUndefined();
      // New rows after the import take fresh ids (the identity sequences continue past the imported ones).
      await dst.storage.store.audit.append({ time: Date.now(), actor: 'admin', action: 'config.reload', targetType: 'config', targetId: 'x', detail: null });
    } finally {
      await src.close();
      await dst.close();
    }
  });

  it('db migrate brings an empty database to the current schema; import refuses a file that is not an export', async () => {
    const url = await pg.createDatabase('fresh');
    const r = await runCli(cli.bin, ['db', '--database-url', url, 'migrate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/migrated/);
    expect((await pg.psql('fresh', "SELECT count(*) FROM pg_trigger WHERE tgname = 'usage_daily_add'")).trim()).toBe('1');
    const bad = join(tmp.dir, 'bad.jsonl');
    writeFileSync(bad, '{"hello": 1}\n');
    const refused = await runCli(cli.bin, ['db', '--database-url', url, 'import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not a tollgate export/);
    const secret = 'postgres://tollgate:s3cret-pw@127.0.0.1:1/none';
    const unreachable = await runCli(cli.bin, ['db', '--database-url', secret, 'migrate']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).not.toContain('s3cret-pw');
  });
});
