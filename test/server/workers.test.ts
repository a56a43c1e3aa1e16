import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { post } from '../helpers/budget.js';
import { spawnGateway, type ChildGateway } from '../helpers/child-gateway.js';
import { withWriteLockHeld as withLock } from '../helpers/write-lock.js';
import { ADMIN_KEY, adminCall, tempDir } from '../helpers/instance.js';

/**
 * Workers mode (`TOLLGATE_WORKERS=2`, no Redis): two processes serve one port, and every
 * single-instance guarantee holds across them — the primary owns the counters (a budget is
 * never overspent, rpm is exact) and is the one ledger writer, a completed request's record
 * survives `kill -9` of a worker or of the whole process group, and a dead worker is replaced.
 */
describe('workers mode keeps the single-instance guarantees', () => {
  // $1000 per million tokens: a one-word echo costs 2 000 000 n$, its worst case (prompt + max_tokens 5) more.
  const YAML = 'providers:\n  mock: { type: mock }\npricing:\n  mock/echo: { input_per_mtok_usd: 1000, output_per_mtok_usd: 1000 }\n';
  const BUDGET_NANOS = 60_000_000;

  const setup = () => {
    const tmp = tempDir();
    writeFileSync(`${tmp.dir}/tollgate.yaml`, `${YAML}prompts:\n  dir: ${tmp.dir}/prompts\n`);
    const env = { TOLLGATE_CONFIG: `${tmp.dir}/tollgate.yaml`, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db`, TOLLGATE_ADMIN_KEY: ADMIN_KEY, TOLLGATE_WORKERS: '2', LOG_LEVEL: 'info' };
    const rows = (where = '1=1'): { request_id: string; status: number; cost_nanos: number; team_id: string }[] => {
      const db = new Database(`${tmp.dir}/ledger.db`, { readonly: true });
      try {
        return db.prepare(`SELECT request_id, status, cost_nanos, team_id FROM usage_records WHERE ${where}`).all() as never;
      } finally {
        db.close();
      }
    };
    /** While `fn` runs nothing can be committed: records are only spooled. */
    const withWriteLockHeld = <T>(fn: () => Promise<T>) => withLock(`${tmp.dir}/ledger.db`, fn);
    return { tmp, env, rows, withWriteLockHeld };
  };

  /** Starts the gateway and waits until both workers listen; their pids. */
  const start = async (env: Record<string, string>): Promise<{ gw: ChildGateway; pids: () => number[] }> => {
    const gw = await spawnGateway(env, { group: true });
    const pids = () => (readFileSync(`/proc/${gw.child.pid}/task/${gw.child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    const listening = () => gw.stdout().split('\n').filter((l) => l.includes('tollgate listening')).length;
    const until = Date.now() + 120_000;
    while (listening() < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(listening()).toBe(2);
    expect(pids()).toHaveLength(2);
    return { gw, pids };
  };

  const ask = (url: string, key: string, text = 'hello') => post(url, '/v1/chat/completions', key, { model: 'mock/echo', max_tokens: 5, messages: [{ role: 'user', content: text }] });

  /** Pids of the workers that wrote access lines for `teamId`. */
  const servedBy = (gw: ChildGateway, teamId: string) =>
    new Set(
      gw
        .stdout()
        .split('\n')
        .filter((l) => l.includes('"kind":"llm"') && l.includes(`"team":"${teamId}"`))
        .map((l) => (JSON.parse(l) as { pid: number }).pid),
    );

  const waitFor = async (cond: () => boolean, ms = 10_000) => {
    const until = Date.now() + ms;
    while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    return cond();
  };

  it('200 concurrent requests over 2 workers never overspend a small budget; rpm is exact across workers', async () => {
    const { tmp, env, rows } = setup();
    const { gw } = await start(env);
    try {
      // Connections go to whichever worker is free: a worker still warming up may get none of a
      // burst, so a burst is repeated (a new team each time) until both workers took part.
      const both = async (check: (teamId: string) => Promise<void>, limits: object, name: string) => {
        for (let round = 0; round < 4; round++) {
          const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: `${name}-${round}`, limits });
          expect(team.status).toBe(201);
          await check(team.json.id);
          if (servedBy(gw, team.json.id).size === 2) return;
        }
        throw new Error(`${name}: no burst reached both workers`);
      };
      const keyOf = async (teamId: string) => (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamId, name: 'k' })).json.key as string;

      await both(
        async (teamId) => {
          const key = await keyOf(teamId);
          const answers = await Promise.all(Array.from({ length: 200 }, () => ask(gw.url, key)));
          const ok = answers.filter((a) => a.status === 200);
          const refused = answers.filter((a) => a.status === 429);
          expect(ok.length + refused.length).toBe(200);
          expect(ok.length).toBeGreaterThan(0);
          expect(refused.length).toBeGreaterThan(0);
          // A report commits what is waiting; then the ledger is exactly what the clients saw.
          expect((await adminCall(gw.url, 'GET', `/admin/usage?group_by=team&team_id=${teamId}`)).status).toBe(200);
          const recorded = rows(`team_id = '${teamId}' AND status = 200`);
          expect(recorded.length).toBe(ok.length);
          expect(new Set(recorded.map((r) => r.request_id))).toEqual(new Set(ok.map((a) => a.headers.get('x-request-id'))));
          const spent = recorded.reduce((s, r) => s + r.cost_nanos, 0);
          expect(spent).toBeGreaterThan(0);
          expect(spent).toBeLessThanOrEqual(BUDGET_NANOS);
        },
        { budget_usd: { amount: BUDGET_NANOS / 1e9, period: 'total' } },
        'small',
      );

      // rpm: 30 a minute for the team, whichever worker answers (clear of a minute boundary).
      await both(
        async (teamId) => {
          const key = await keyOf(teamId);
          const left = 60_000 - (Date.now() % 60_000);
          if (left < 20_000) await new Promise((r) => setTimeout(r, left + 100));
          const burst = await Promise.all(Array.from({ length: 80 }, () => ask(gw.url, key)));
          expect(burst.filter((a) => a.status === 200)).toHaveLength(30);
          expect(burst.filter((a) => a.status === 429)).toHaveLength(50);
        },
        { rpm: 30 },
        'rpm',
      );
    } finally {
      await gw.killGroup9();
      tmp.remove();
    }
  }, 300_000);

  it('a worker killed with -9 is replaced and loses no completed record; so does kill -9 of the whole group', async () => {
    const { tmp, env, rows, withWriteLockHeld } = setup();
    const live: ChildGateway[] = [];
    try {
      const first = await start(env);
      live.push(first.gw);
      const url = first.gw.url;
      // Completed while the primary cannot commit: the records are only in the workers' spools.
      const [victim, survivor] = first.pids() as [number, number];
      const ids = await withWriteLockHeld(async () => {
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(url, ADMIN_KEY, `before ${i}`)));
        for (const a of answers) expect(a.status).toBe(200);
        process.kill(victim, 'SIGKILL');
        return answers.map((a) => a.headers.get('x-request-id')!);
      });
      // Replaced: two workers again, the survivor among them.
      expect(await waitFor(() => first.pids().length === 2 && !first.pids().includes(victim), 120_000)).toBe(true);
      expect(first.pids()).toContain(survivor);
      expect((await adminCall(url, 'GET', '/admin/usage?group_by=team')).status).toBe(200);
      expect(await waitFor(() => ids.every((id) => rows().some((r) => r.request_id === id)))).toBe(true);

      // kill -9 of primary and workers at once, right after completed requests.
      const more = await withWriteLockHeld(async () => {
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(url, ADMIN_KEY, `after ${i}`)));
        for (const a of answers) expect(a.status).toBe(200);
        await first.gw.killGroup9();
        return answers.map((a) => a.headers.get('x-request-id')!);
      });
      expect(rows().filter((r) => more.includes(r.request_id))).toHaveLength(0);
      const second = await start(env);
      live.push(second.gw);
      const all = new Set(rows().map((r) => r.request_id));
      for (const id of [...ids, ...more]) expect(all.has(id)).toBe(true);
      // Each counted once.
      expect(rows().length).toBe(all.size);
    } finally {
      for (const g of live) await g.killGroup9();
      tmp.remove();
    }
  }, 400_000);
});
