import { writeFileSync, readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { spawnGateway, type ChildGateway } from '../helpers/child-gateway.js';
import { withWriteLockHeld as withLock } from '../helpers/write-lock.js';
import { ADMIN_KEY, adminCall, tempDir } from '../helpers/instance.js';

/**
 * Several gateways on one SQLite file (docker/compose.yaml runs two on one volume). Each spools
 * its usage records before the response's last bytes leave and commits them in batches; an
 * instance killed with -9 right after a completed request must not lose that record, whatever
 * the other instances do meanwhile.
 */
describe('instances sharing one SQLite file each own their spool', () => {
  const setup = () => {
    const tmp = tempDir();
    writeFileSync(`${tmp.dir}/tollgate.yaml`, `providers:\n  mock: { type: mock }\nprompts:\n  dir: ${tmp.dir}/prompts\n`);
    const env = { TOLLGATE_CONFIG: `${tmp.dir}/tollgate.yaml`, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db`, TOLLGATE_ADMIN_KEY: ADMIN_KEY };
    const committed = () => {
      const db = new Database(`${tmp.dir}/ledger.db`, { readonly: true });
      try {
        return new Set((db.prepare('SELECT request_id FROM usage_records').all() as { request_id: string }[]).map((r) => r.request_id));
      } finally {
        db.close();
      }
    };
    const spooled = () =>
      readdirSync(tmp.dir)
        .filter((f) => f.startsWith('ledger.db.spool') && !f.endsWith('.lock'))
        .map((f) => readFileSync(`${tmp.dir}/${f}`, 'utf8'))
        .join('');
    /** While `fn` runs nothing can be committed: records are only spooled. */
    const withWriteLockHeld = <T>(fn: () => Promise<T>) => withLock(`${tmp.dir}/ledger.db`, fn);
    return { tmp, env, committed, spooled, withWriteLockHeld };
  };

  /** One completed chat request through the openai SDK; its request id. */
  const ask = async (gw: ChildGateway, text: string): Promise<string> => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: ADMIN_KEY, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'mock/echo', messages: [{ role: 'user', content: text }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe(text);
    return response.headers.get('x-request-id')!;
  };

  /** A request to `gw` completes and `gw` is killed (-9) at once. */
  const completeThenKill9 = async (gw: ChildGateway, text: string): Promise<string> => {
    const id = await ask(gw, text);
    await gw.kill9();
    return id;
  };

  it('kill -9 B after a completed request, one request to A, restart B: B replays its record', async () => {
    const { tmp, env, committed, spooled, withWriteLockHeld } = setup();
    const live: ChildGateway[] = [];
    try {
      const [a, b] = await Promise.all([spawnGateway({ ...env, TOLLGATE_INSTANCE_ID: 'gateway-1' }), spawnGateway({ ...env, TOLLGATE_INSTANCE_ID: 'gateway-2' })]);
      live.push(a, b);
      const idB = await withWriteLockHeld(() => completeThenKill9(b, 'to B'));
      expect(committed().has(idB)).toBe(false);
      expect(spooled()).toContain(idB);

      const idA = await ask(a, 'to A');
      // A commits its batch and empties its spool (50 ms): B's record must not go with it.
      const until = Date.now() + 5_000;
      while (!committed().has(idA) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(committed().has(idA)).toBe(true);
      expect(spooled()).toContain(idB);

      live.push(await spawnGateway({ ...env, TOLLGATE_INSTANCE_ID: 'gateway-2' }));
      const ids = committed();
      expect(ids.has(idB)).toBe(true);
      expect(ids.has(idA)).toBe(true);
      // counted once, with what the upstream answered
      const report = await adminCall(a.url, 'GET', '/admin/usage?group_by=team');
      expect(report.status).toBe(200);
      expect(report.json.total.requests).toBe(ids.size);
    } finally {
      await Promise.all(live.map((g) => g.kill9()));
      tmp.remove();
    }
  }, 240_000);

  it('five instances: four killed (-9) after completed requests, two come back, two never do — every record reaches the ledger', async () => {
    const { tmp, env, committed, spooled, withWriteLockHeld } = setup();
    const live: ChildGateway[] = [];
    try {
      // No instance ids: on one host they all default to the host name and take the next free spool name.
      const gws = await Promise.all(Array.from({ length: 5 }, () => spawnGateway(env)));
      live.push(...gws);
      const [a, ...others] = gws as [ChildGateway, ...ChildGateway[]];
      const killed = await withWriteLockHeld(() => Promise.all(others.map((g, i) => completeThenKill9(g, `to instance ${i + 2}`))));
      for (const id of killed) expect(committed().has(id)).toBe(false);
      for (const id of killed) expect(spooled()).toContain(id);

      const idA = await ask(a, 'to A');
      const until = Date.now() + 5_000;
      while (!committed().has(idA) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(committed().has(idA)).toBe(true);
      for (const id of killed) expect(spooled()).toContain(id);

      // Two come back (each replays its spool and adopts the unlocked ones); two never do.
      live.push(...(await Promise.all([spawnGateway(env), spawnGateway(env)])));
      const ids = committed();
      for (const id of [...killed, idA]) expect(ids.has(id)).toBe(true);
      expect(spooled()).toBe('');

      // One more dies after a completed request; A's next report adopts its spool.
      const late = await completeThenKill9(live[live.length - 1]!, 'late');
      const report = await adminCall(a.url, 'GET', '/admin/usage?group_by=team');
      expect(report.status).toBe(200);
      expect(committed().has(late)).toBe(true);
      expect(report.json.total.requests).toBe(killed.length + 2);
    } finally {
      await Promise.all(live.map((g) => g.kill9()));
      tmp.remove();
    }
  }, 300_000);
});
