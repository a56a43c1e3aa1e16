import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usageSweeper } from '../../src/metering/usage-retention.js';
import type { GroupBy, UsageGroupRow, UsageRecord } from '../../src/storage/ports.js';
import { tempDir } from '../helpers/instance.js';
import { rng } from '../helpers/rng.js';
import { storageBackends, type OpenedStore } from '../helpers/storage-backends.js';

/**
 * The daily roll-up (usage_daily), kept by a trigger on each ledger insert, against the raw rows
 * and against sums computed here from the records themselves: random records over many days and
 * groups (nulls included), duplicates of request ids (in the same batch and later) that the ledger
 * ignores and the roll-up must not count.
 */
const backends = storageBackends('daily');

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1); // a Thursday, midnight UTC


function randomRecords(n: number, seed: number): UsageRecord[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const int = (max: number) => Math.floor(r() * max);
  return Array.from({ length: n }, (_, i) => ({
    requestId: `req_${seed}_${i}`,
    time: T0 + int(40 * DAY), // 40 days: crosses a month and several weeks
    teamId: pick(['team_a', 'team_b', 'Team_c', null]),
    keyId: pick(['key_1', 'key_2', null]),
    kind: pick(['llm', 'prompt', 'proxy']),
    provider: pick(['openai', 'anthropic', null]),
    model: pick(['gpt-4o', 'claude-3', 'B-model', null]),
    promptName: pick(['greet', undefined]),
    route: pick(['/v1/chat', undefined]),
    inputTokens: int(100_000),
    outputTokens: int(10_000),
    cachedTokens: int(1000),
    cacheWriteTokens: int(500),
    reasoningTokens: int(300),
    costNanos: int(2_000_000_000), // up to $2 a record: the sums exceed 2^31
    estimated: r() < 0.1,
    latencyMs: int(5000),
    status: pick([200, 200, 200, 429, 500]),
    attempts: 1,
  }));
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const weekOf = (t: number) => isoDay(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY);

/** What a report must say, from the records (the first of each request id) in JS. */
function expected(recs: UsageRecord[], groupBy: GroupBy, splitBy?: GroupBy, from = -Infinity, to = Infinity): UsageGroupRow[] {
  const dim = (r: UsageRecord, g: GroupBy): string | null =>
    ({ team: r.teamId, key: r.keyId, model: r.model, provider: r.provider, day: isoDay(r.time), week: weekOf(r.time), month: isoDay(r.time).slice(0, 7), prompt: r.promptName ?? null, route: r.route ?? null })[g];
  const out = new Map<string, UsageGroupRow>();
  for (const r of recs) {
    if (r.time < from || r.time >= to) continue;
    const group = dim(r, groupBy);
    const split = splitBy ? dim(r, splitBy) : null;
    const k = JSON.stringify([group, split]);
    const row = out.get(k) ?? { group, split, requests: 0, input: 0, output: 0, nanos: 0 };
    row.requests++;
    row.input += r.inputTokens;
    row.output += r.outputTokens;
    row.nanos += r.costNanos;
    out.set(k, row);
  }
  // Null first, then byte order (the ports' order).
  const key = (v: string | null) => (v === null ? '' : `~${v}`);
  const cmp = (a: string | null, b: string | null) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return [...out.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.split, b.split));
}

describe.each(backends)('usage daily roll-up (%s)', (_name, open) => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OpenedStore;
  beforeEach(async () => {
    tmp = tempDir();
    db = await open(tmp.dir);
  });
  afterEach(async () => {
    await db.close();
    tmp.remove();
  });

  /** The roll-up table's own sums (not through the ports), as exact integers. */
  const rollupSums = async () =>
    (await db.query<Record<string, unknown>>('SELECT count(*) AS n, sum(requests) AS requests, sum(errors) AS errors, sum(input_tokens) AS input, sum(cached_tokens) AS cached, sum(cache_write_tokens) AS cache_write, sum(reasoning_tokens) AS reasoning, sum(cost_nanos) AS nanos FROM usage_daily')).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])),
    )[0]!;

  it('report totals from the roll-up equal the raw rows and the records, duplicates counted once', async () => {
    const recs = randomRecords(400, 7);
    // Batches as the ledger writes them; a duplicate in the same batch and replays of earlier ones.
    const dupes = recs.slice(0, 60).map((r) => ({ ...r, costNanos: r.costNanos + 1, inputTokens: 1, status: 500 }));
    await db.insertUsage([...recs.slice(0, 150), dupes[0]!]);
    await db.insertUsage(recs.slice(150, 300));
    await db.insertUsage([...dupes, ...recs.slice(300)]);
    await db.insertUsage(dupes.slice(10, 20));
    const sum = (f: (r: UsageRecord) => number) => recs.reduce((s, r) => s + f(r), 0);

    expect(await rollupSums()).toMatchObject({
      requests: 400,
      errors: recs.filter((r) => r.status >= 400).length,
      input: sum((r) => r.inputTokens),
      cached: sum((r) => r.cachedTokens),
      cache_write: sum((r) => r.cacheWriteTokens),
      reasoning: sum((r) => r.reasoningTokens),
      nanos: sum((r) => r.costNanos),
    });
    expect(sum((r) => r.costNanos)).toBeGreaterThan(2 ** 32);

    const s = db.store.usage;
    const cases: Array<[GroupBy, GroupBy?]> = [['team', 'day'], ['model', 'provider'], ['key'], ['day', 'team'], ['week'], ['month', 'model'], ['provider', 'key']];
    for (const [g, sp] of cases) {
      const want = expected(recs, g, sp);
      expect(await s.groups({}, g, sp), `${g}/${sp}`).toEqual(want);
      // A range starting 1 ms after midnight cannot be answered by the roll-up: the raw rows say the same.
      expect(await s.groups({ from: T0 - DAY + 1 }, g, sp), `${g}/${sp} raw`).toEqual(want);
    }
    // Whole days and filters the roll-up answers; a range cut inside a day and prompt/route groupings read the raw rows.
    const from = T0 + 3 * DAY;
    const to = T0 + 17 * DAY;
    expect(await s.groups({ from, to, teamId: 'team_a', provider: 'openai' }, 'model', 'day')).toEqual(
      expected(recs.filter((r) => r.teamId === 'team_a' && r.provider === 'openai'), 'model', 'day', from, to),
    );
    expect(await s.groups({ from: from + 5, to: to - 7 }, 'key')).toEqual(expected(recs, 'key', undefined, from + 5, to - 7));
    expect(await s.groups({ from }, 'prompt', 'route')).toEqual(expected(recs, 'prompt', 'route', from));
    expect(await s.groups({ keyId: 'key_1', model: 'gpt-4o' }, 'week', 'team')).toEqual(expected(recs.filter((r) => r.keyId === 'key_1' && r.model === 'gpt-4o'), 'week', 'team'));

    const inRange = recs.filter((r) => r.time >= from && r.time < to && r.teamId === 'team_b');
    const want = { requests: inRange.length, errors: inRange.filter((r) => r.status >= 400).length, input: 0, output: 0, nanos: 0 };
    for (const r of inRange) {
      want.input += r.inputTokens;
      want.output += r.outputTokens;
      want.nanos += r.costNanos;
    }
    expect(await s.totals({ from, to, teamId: 'team_b' })).toEqual(want);
    // Cut 1 ms into the first day (raw rows): only records in that first millisecond could differ.
    const first = inRange.filter((r) => r.time === from);
    expect(await s.totals({ from: from + 1, to, teamId: 'team_b' })).toEqual({
      requests: want.requests - first.length,
      errors: want.errors - first.filter((r) => r.status >= 400).length,
      input: want.input - first.reduce((n, r) => n + r.inputTokens, 0),
      output: want.output - first.reduce((n, r) => n + r.outputTokens, 0),
      nanos: want.nanos - first.reduce((n, r) => n + r.costNanos, 0),
    });
  });

  it('the migration fills the roll-up from the rows already in the ledger', async () => {
    const recs = randomRecords(120, 11);
    await db.insertUsage(recs);
    const before = await rollupSums();
    expect(before.requests).toBe(120);
    // Back to the state before the roll-up's trigger migration: no trigger, an empty table, the migration unrecorded.
    await undoTriggerMigration(db);
    expect(Number((await db.query<{ n: unknown }>('SELECT count(*) AS n FROM usage_daily'))[0]!.n)).toBe(0);
    db = await db.reopen();
    expect(await rollupSums()).toEqual(before);
    expect(await db.store.usage.groups({}, 'team', 'month')).toEqual(expected(recs, 'team', 'month'));
  });

  it('retention deletes raw records by whole UTC days; reports over those days still answer from the roll-up', async () => {
    const recs = randomRecords(300, 23);
    await db.insertUsage(recs);
    const now = T0 + 40 * DAY + 5 * 3_600_000; // 05:00 on day 40
    const cutoff = T0 + 30 * DAY; // 10 days' retention: the days before day 30 go
    const retention = usageSweeper(db.store.usage, { retentionMs: () => 10 * DAY, step: 40 });
    const kept = recs.filter((r) => r.time >= cutoff);
    try {
      expect(await retention.sweep(now)).toBe(recs.length - kept.length);
      expect(await retention.sweep(now)).toBe(0);
    } finally {
      retention.close();
    }
    const s = db.store.usage;
    // The raw rows: only the kept days (listings, prompt groupings and ranges cut inside a day read these).
    expect(Number((await db.query<{ n: unknown }>('SELECT count(*) AS n FROM usage_records'))[0]!.n)).toBe(kept.length);
    expect((await s.records({ limit: 1000 })).length).toBe(kept.length);
    expect(await s.groups({ from: 1 }, 'prompt')).toEqual(expected(kept, 'prompt'));
    // The roll-up: everything, for groupings over whole days, budgets ('total' and 'month' periods) included.
    expect(await s.groups({}, 'team', 'day')).toEqual(expected(recs, 'team', 'day'));
    expect(await s.groups({ from: T0, to: T0 + 7 * DAY, teamId: 'team_a' }, 'model')).toEqual(expected(recs.filter((r) => r.teamId === 'team_a'), 'model', undefined, T0, T0 + 7 * DAY));
    const teamA = recs.filter((r) => r.teamId === 'team_a');
    expect(await s.spendSince('team', 'team_a', 0)).toEqual({ nanos: teamA.reduce((n, r) => n + r.costNanos, 0), tokens: teamA.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0) });
  });

  it('retention is off without a setting', async () => {
    await db.insertUsage(randomRecords(20, 5));
    const retention = usageSweeper(db.store.usage, { retentionMs: () => undefined });
    expect(await retention.sweep(T0 + 1000 * DAY)).toBe(0);
    retention.close();
    expect((await db.store.usage.records({ limit: 100 })).length).toBe(20);
  });
});

/** Drops the trigger, empties usage_daily and forgets the last applied migration (the trigger's). */
async function undoTriggerMigration(db: OpenedStore): Promise<void> {
  if (db.dialect === 'postgres') {
    await db.query('DROP TRIGGER usage_daily_add ON usage_records');
    await db.query('DROP FUNCTION usage_daily_add()');
    await db.query('DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)');
  } else {
    await db.query('DROP TRIGGER usage_daily_add');
    // SQLite's migration rows have no id: the last one is the newest created_at.
    await db.query('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)');
  }
  await db.query('DELETE FROM usage_daily');
}
