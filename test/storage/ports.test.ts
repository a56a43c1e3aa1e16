import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyRow, Store, TeamRow, UsageRecord } from '../../src/storage/ports.js';
import { tempDir } from '../helpers/instance.js';
import { storageBackends, type OpenedStore } from '../helpers/storage-backends.js';

/**
 * The storage ports, each repository method, against a real database with its real migrations.
 * Written against the port interfaces only: a second dialect joins the table below.
 */
const backends = storageBackends('ports');

/** Alert delivery rows (id, status, attempts, last error) — the port has no reader for them. */
const deliveries = (db: OpenedStore) => db.query('SELECT id, status, attempts, last_error FROM alert_deliveries ORDER BY id');

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 30, 12); // Monday 2026-11-30 12:00 UTC

const audit = (action: string, targetId: string) => ({ time: T0, actor: 'admin', action, targetType: action.split('.')[0]!, targetId, detail: '{"after":{}}' });
const team = (id: string, name: string, createdAt: number): TeamRow => ({ id, name, limits: null, createdAt, requestLogs: false });
const key = (id: string, teamId: string, createdAt: number, over: Partial<KeyRow> = {}): KeyRow => ({
  id,
  teamId,
  name: id,
  keyHash: `hash_${id}`,
  prefix: `tg_${id}`,
  allowedModels: null,
  limits: null,
  expiresAt: null,
  revokedAt: null,
  createdAt,
  ...over,
});
const usage = (i: number, over: Partial<UsageRecord> = {}): UsageRecord => ({
  requestId: `req_${i}`,
  time: T0,
  teamId: 'team_a',
  keyId: 'key_a',
  kind: 'llm',
  provider: 'openai',
  model: 'gpt-4o',
  inputTokens: 10,
  outputTokens: 20,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costNanos: 1000,
  estimated: false,
  latencyMs: 10 * i,
  status: 200,
  attempts: 1,
  ...over,
});

describe.each(backends)('storage ports (%s)', (_name, open) => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OpenedStore;
  let s: Store;
  beforeEach(async () => {
    tmp = tempDir();
    db = await open(tmp.dir);
    s = db.store;
  });
  afterEach(async () => {
    await db.close();
    tmp.remove();
  });

  it('teams: create, get, by name, list oldest first, update — each with its audit entry', async () => {
    await s.teams.create(team('team_b', 'Beta', T0 + 1), audit('team.create', 'team_b'));
    await s.teams.create(team('team_a', 'Alpha', T0), audit('team.create', 'team_a'));
    await expect(s.teams.create(team('team_c', 'Alpha', T0 + 2), audit('team.create', 'team_c'))).rejects.toThrow();
    expect((await s.teams.list()).map((t) => t.id)).toEqual(['team_a', 'team_b']);
    expect(await s.teams.byName('Beta')).toEqual(team('team_b', 'Beta', T0 + 1));
    expect(await s.teams.get('nope')).toBeUndefined();
    await s.teams.update('team_a', { limits: '{"budget":{"usd":5}}', requestLogs: true }, audit('team.update', 'team_a'));
    expect(await s.teams.get('team_a')).toEqual({ ...team('team_a', 'Alpha', T0), limits: '{"budget":{"usd":5}}', requestLogs: true });
    // The failed create wrote no audit entry (same transaction).
    expect((await s.audit.list({ limit: 10 })).map((a) => [a.action, a.targetId])).toEqual([
      ['team.update', 'team_a'],
      ['team.create', 'team_a'],
      ['team.create', 'team_b'],
    ]);
  });

  it('keys: create, get, by hash, list (team, unrevoked, order), revoke', async () => {
    await s.teams.create(team('team_a', 'A', T0), audit('team.create', 'team_a'));
    await s.teams.create(team('team_b', 'B', T0), audit('team.create', 'team_b'));
    await s.keys.create(key('k1', 'team_a', T0), audit('key.create', 'k1'));
    await s.keys.create(key('k2', 'team_a', T0 + 1, { allowedModels: '["gpt-4o"]', expiresAt: T0 + DAY }), audit('key.create', 'k2'));
    await s.keys.create(key('k3', 'team_b', T0 + 2), audit('key.create', 'k3'));
    await expect(s.keys.create(key('k4', 'team_nope', T0 + 3), audit('key.create', 'k4'))).rejects.toThrow();
    expect(await s.keys.byHash('hash_k2')).toEqual(key('k2', 'team_a', T0 + 1, { allowedModels: '["gpt-4o"]', expiresAt: T0 + DAY }));
    expect(await s.keys.byHash('hash_none')).toBeUndefined();
    expect((await s.keys.list({ order: 'desc' })).map((k) => k.id)).toEqual(['k3', 'k2', 'k1']);
    expect((await s.keys.list({ teamId: 'team_a', order: 'asc' })).map((k) => k.id)).toEqual(['k1', 'k2']);
    await s.keys.revoke('k1', T0 + 5, audit('key.revoke', 'k1'));
    expect((await s.keys.get('k1'))?.revokedAt).toBe(T0 + 5);
    expect((await s.keys.list({ unrevoked: true, order: 'asc' })).map((k) => k.id)).toEqual(['k2', 'k3']);
    expect((await s.audit.list({ limit: 1, action: 'key.revoke' }))[0]).toMatchObject({ targetId: 'k1', actor: 'admin' });
  });

  it('audit: append and list with every filter, newest first, paged by id', async () => {
    await s.audit.append({ ...audit('config.reload', 'cfg'), time: T0 - DAY });
    await s.audit.append({ ...audit('prompt.publish', 'p@1'), actor: 'ops' });
    await s.audit.append(audit('prompt.publish', 'p@2'));
    const all = await s.audit.list({ limit: 10 });
    expect(all.map((a) => a.targetId)).toEqual(['p@2', 'p@1', 'cfg']);
    expect(all[2]).toMatchObject({ action: 'config.reload', targetType: 'config', time: T0 - DAY, detail: '{"after":{}}' });
    expect((await s.audit.list({ limit: 10, actor: 'ops' })).map((a) => a.targetId)).toEqual(['p@1']);
    expect((await s.audit.list({ limit: 10, targetType: 'prompt', targetId: 'p@2' })).map((a) => a.targetId)).toEqual(['p@2']);
    expect((await s.audit.list({ limit: 10, from: T0 })).length).toBe(2);
    expect((await s.audit.list({ limit: 10, to: T0 })).map((a) => a.targetId)).toEqual(['cfg']);
    expect((await s.audit.list({ limit: 10, before: all[0]!.id })).map((a) => a.targetId)).toEqual(['p@1', 'cfg']);
    expect((await s.audit.list({ limit: 1 })).length).toBe(1);
  });

  it('usage: groups by team, model, day, week and month with a split; records; totals; percentiles; spend sums', async () => {
    await db.insertUsage([
      usage(1),
      usage(2, { model: 'gpt-4o-mini', costNanos: 500, time: T0 + DAY }),
      usage(3, { teamId: 'team_b', keyId: 'key_b', status: 500, time: T0 + 8 * DAY, costNanos: 7 }),
      usage(4, { time: T0 + 40 * DAY, kind: 'prompt' }),
    ]);
    await db.insertUsage([usage(1, { costNanos: 999_999 })]); // the same request id again: ignored
    expect(await s.usage.groups({}, 'team')).toEqual([
      { group: 'team_a', split: null, requests: 3, input: 30, output: 60, nanos: 2500 },
      { group: 'team_b', split: null, requests: 1, input: 10, output: 20, nanos: 7 },
    ]);
    expect((await s.usage.groups({ teamId: 'team_a' }, 'model', 'month')).map((r) => [r.group, r.split, r.requests])).toEqual([
      ['gpt-4o', '2026-11', 1],
      ['gpt-4o', '2027-01', 1],
      ['gpt-4o-mini', '2026-12', 1],
    ]);
    expect((await s.usage.groups({ to: T0 + 30 * DAY }, 'day')).map((r) => r.group)).toEqual(['2026-11-30', '2026-12-01', '2026-12-08']);
    // Weeks start on Monday (UTC): Tuesday Dec 1 is in the week of Monday Nov 30.
    expect((await s.usage.groups({ to: T0 + 30 * DAY }, 'week')).map((r) => [r.group, r.requests])).toEqual([
      ['2026-11-30', 2],
      ['2026-12-07', 1],
    ]);

    const page = await s.usage.records({ limit: 2 });
    expect(page.map((r) => r.record.requestId)).toEqual(['req_4', 'req_3']);
    expect(page[0]!.record).toMatchObject({ kind: 'prompt', estimated: false, costNanos: 1000, teamId: 'team_a' });
    expect(page[0]!.keyPrefix).toBeNull(); // no such key row
    expect((await s.usage.records({ limit: 10, status: 'error' })).map((r) => r.record.requestId)).toEqual(['req_3']);
    expect((await s.usage.records({ limit: 10, status: 'ok', kind: 'llm', before: page[1]!.record.id })).map((r) => r.record.requestId)).toEqual(['req_2', 'req_1']);

    expect(await s.usage.totals({ teamId: 'team_a' })).toEqual({ requests: 3, errors: 0, input: 30, output: 60, nanos: 2500 });
    expect(await s.usage.totals({ teamId: 'nobody' })).toEqual({ requests: 0, errors: 0, input: 0, output: 0, nanos: 0 });
    expect(await s.usage.latencyAt({}, 0)).toBe(10);
    expect(await s.usage.latencyAt({}, 3)).toBe(40);
    expect(await s.usage.latencyAt({}, 4)).toBeUndefined();
    expect((await s.usage.byRequestId('req_2'))?.model).toBe('gpt-4o-mini');
    expect(await s.usage.byRequestId('req_none')).toBeUndefined();

    expect(await s.usage.spendSince('team', 'team_a', T0 + 1)).toEqual({ nanos: 1500, tokens: 60 });
    expect(await s.usage.spendSince('key', 'key_b', 0)).toEqual({ nanos: 7, tokens: 30 });
    expect(await s.usage.spendSince('key', 'key_none', 0)).toEqual({ nanos: 0, tokens: 0 });
    expect(await s.usage.teamSpendSince(T0 + DAY)).toEqual([
      { teamId: 'team_a', nanos: 1500 },
      { teamId: 'team_b', nanos: 7 },
    ]);
  });

  it('usage groups: a null group comes first, then names in byte order (upper case before lower)', async () => {
    await db.insertUsage([usage(1, { model: 'b-model' }), usage(2, { model: 'B-model' }), usage(3, { model: null, teamId: null }), usage(4, { model: 'a-model' })]);
    expect((await s.usage.groups({}, 'model')).map((r) => r.group)).toEqual([null, 'B-model', 'a-model', 'b-model']);
    expect((await s.usage.groups({}, 'team', 'model')).map((r) => [r.group, r.split])).toEqual([
      [null, null],
      ['team_a', 'B-model'],
      ['team_a', 'a-model'],
      ['team_a', 'b-model'],
    ]);
  });

  it('prompt versions: insert (a version that exists stays as it was) and list', async () => {
    await s.prompts.insert({ name: 'greet', version: '1', source: 'one', createdAt: T0 });
    await s.prompts.insert({ name: 'greet', version: '1', source: 'changed', createdAt: T0 + 1 });
    await s.prompts.insert({ name: 'greet', version: '2', source: 'two', createdAt: T0 + 2 });
    expect((await s.prompts.list()).sort((a, b) => a.version.localeCompare(b.version))).toEqual([
      { name: 'greet', version: '1', source: 'one', createdAt: T0 },
      { name: 'greet', version: '2', source: 'two', createdAt: T0 + 2 },
    ]);
  });

  it('sessions: open (expired rows go), find with its key, close once', async () => {
    await s.teams.create(team('team_a', 'A', T0), audit('team.create', 'team_a'));
    await s.keys.create(key('k1', 'team_a', T0, { expiresAt: T0 + DAY }), audit('key.create', 'k1'));
    const row = { tokenHash: 'tok1', kind: 'team-key', keyId: 'k1', teamId: 'team_a', createdAt: T0, expiresAt: T0 + 100, revokedAt: null };
    await s.sessions.open(row, T0);
    expect(await s.sessions.find('tok1')).toEqual({ kind: 'team-key', keyId: 'k1', teamId: 'team_a', expiresAt: T0 + 100, revokedAt: null, keyHash: 'hash_k1', keyPrefix: 'tg_k1', keyRevokedAt: null, keyExpiresAt: T0 + DAY });
    await s.sessions.close('tok1', T0 + 5);
    await s.sessions.close('tok1', T0 + 9);
    expect((await s.sessions.find('tok1'))?.revokedAt).toBe(T0 + 5);
    await s.sessions.open({ ...row, tokenHash: 'tok2', kind: 'admin', keyId: 'admin:x', teamId: null }, T0 + 101);
    expect(await s.sessions.find('tok1')).toBeUndefined(); // expired before the second open
    expect(await s.sessions.find('tok2')).toMatchObject({ kind: 'admin', keyHash: null, keyPrefix: null });
  });

  it('alert deliveries: claimed once, updated, abandoned only while pending', async () => {
    const row = { id: 'budget:team:a:1:80', time: T0, scope: 'team', scopeId: 'a', kind: 'budget', payload: '{}', status: 'pending' as const, attempts: 0, lastError: null };
    expect(await s.alerts.claim(row)).toBe(true);
    expect(await s.alerts.claim(row)).toBe(false);
    expect(await s.alerts.claim({ ...row, id: 'spike:team:a:1' })).toBe(true);
    await s.alerts.update(row.id, 'delivered', 2, null);
    await s.alerts.abandon(row.id, 3, 'closed');
    await s.alerts.abandon('spike:team:a:1', 1, 'closed');
    expect(await deliveries(db)).toEqual([
      { id: row.id, status: 'delivered', attempts: 2, last_error: null },
      { id: 'spike:team:a:1', status: 'failed', attempts: 1, last_error: 'closed' },
    ]);
  });

  it('request logs: insert (a stored id stays), list newest first with filters and cursor, get, delete older than', async () => {
    const rl = (i: number, time: number, teamId = 'team_a') => ({
      requestId: `req_${i}`,
      time,
      teamId,
      keyId: 'k1',
      kind: 'chat',
      model: 'gpt-4o',
      status: 200,
      requestBody: `{"n":${i}}`,
      requestTruncated: i === 2,
      responseBody: 'ok',
      responseTruncated: false,
    });
    await s.requestLogs.insert([rl(1, T0), rl(2, T0 + 1), rl(3, T0 + 1, 'team_b')]);
    await s.requestLogs.insert([{ ...rl(1, T0), requestBody: 'changed' }]);
    expect(await s.requestLogs.get('req_1')).toEqual(rl(1, T0));
    expect(await s.requestLogs.get('req_3', 'team_a')).toBeUndefined();
    const list = await s.requestLogs.list({ limit: 10 });
    expect(list.map((r) => r.requestId)).toEqual(['req_3', 'req_2', 'req_1']);
    expect(list[1]).toEqual({ requestId: 'req_2', time: T0 + 1, teamId: 'team_a', keyId: 'k1', kind: 'chat', model: 'gpt-4o', status: 200, requestTruncated: true, responseTruncated: false });
    expect((await s.requestLogs.list({ limit: 10, after: { time: T0 + 1, id: 'req_3' } })).map((r) => r.requestId)).toEqual(['req_2', 'req_1']);
    expect((await s.requestLogs.list({ limit: 10, teamId: 'team_a', to: T0 + 1 })).map((r) => r.requestId)).toEqual(['req_1']);
    expect((await s.requestLogs.list({ limit: 10, status: 500 })).length).toBe(0);
    expect(await s.requestLogs.deleteOlderThan(T0 + 1, 500)).toBe(1);
    expect(await s.requestLogs.deleteOlderThan(T0 + 2, 1)).toBe(1);
    expect((await s.requestLogs.list({ limit: 10 })).length).toBe(1);
  });

  it('stored responses: put (same team and id replaces), get / list input items / delete only by the owning team, purge older than', async () => {
    const row = (id: string, teamId: string, createdAt: number) => ({
      id,
      teamId,
      createdAt,
      model: 'gpt-4o',
      inputItems: `[{"type":"message","role":"user","content":"${id}"}]`,
      instructions: id === 'resp_1' ? 'Be brief.' : null,
      outputItems: '[]',
      response: `{"id":"${id}"}`,
    });
    await s.responses.put(row('resp_1', 'team_a', T0));
    await s.responses.put(row('resp_1', 'team_b', T0 + 1)); // the same id elsewhere is another row
    await s.responses.put(row('resp_2', 'team_a', T0 + 2));
    expect(await s.responses.get('resp_1', 'team_a')).toEqual(row('resp_1', 'team_a', T0));
    expect(await s.responses.get('resp_2', 'team_b')).toBeUndefined();
    expect(await s.responses.get('resp_2', '')).toBeUndefined();
    await s.responses.put({ ...row('resp_1', 'team_a', T0), outputItems: '[1]' });
    expect((await s.responses.get('resp_1', 'team_a'))?.outputItems).toBe('[1]');
    expect(await s.responses.listInputItems('resp_2', 'team_a')).toBe('[{"type":"message","role":"user","content":"resp_2"}]');
    expect(await s.responses.listInputItems('resp_2', 'team_b')).toBeUndefined();
    expect(await s.responses.delete('resp_2', 'team_b')).toBe(false);
    expect(await s.responses.delete('resp_2', 'team_a')).toBe(true);
    expect(await s.responses.delete('resp_2', 'team_a')).toBe(false);
    expect(await s.responses.purgeOlderThan(T0 + 1, 500)).toBe(1);
    expect(await s.responses.get('resp_1', 'team_a')).toBeUndefined();
    expect((await s.responses.get('resp_1', 'team_b'))?.createdAt).toBe(T0 + 1);
    await s.responses.put(row('resp_3', 'team_a', T0));
    await s.responses.put(row('resp_4', 'team_a', T0));
    expect(await s.responses.purgeOlderThan(T0 + 5, 2)).toBe(2);
    expect(await s.responses.purgeOlderThan(T0 + 5, 2)).toBe(1);
    expect(await s.responses.purgeOlderThan(T0 + 5, 2)).toBe(0);
  });

  it('ping answers while open', async () => {
    expect(await s.ping()).toBe(true);
  });
});
