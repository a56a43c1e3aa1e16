/**
 * Prompt versions published through `POST /admin/prompts` are stored in the database (docs/contract.md §5):
 * they survive a restart and every instance sharing the database and Redis serves them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startRedis, type TestRedis as RedisServer } from '../helpers/redis.js';

const SOURCE = `---
name: shout
version: "7"
model: mock/echo
input:
  type: object
  properties: { word: { type: string } }
  required: [word]
---
Say {{ word }} loudly`;

const YAML = 'providers:\n  mock: { type: mock }\nprompts: { dir: ./no-such-prompts-dir }\n';

describe('published prompt versions in the database', () => {
  let redis: RedisServer;
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  beforeAll(async () => {
    redis = await startRedis();
    tmp = tempDir();
    env = { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/p.db`, TOLLGATE_REDIS_URL: redis.url };
  });
  afterAll(async () => {
    await redis?.stop();
    tmp?.remove();
  });

  const call = (gw: Instance) =>
    adminCall(gw.url, 'POST', '/v1/prompts/shout/versions/7', { word: 'hello' }).then((r) => ({ status: r.status, output: r.json?.output }));

  it('are served by the other instance at once, and after a restart', async () => {
    const a = await startInstance(YAML, env);
    const b = await startInstance(YAML, env);
    try {
      expect((await call(b)).status).toBe(404);
      const published = await adminCall(a.url, 'POST', '/admin/prompts', { source: SOURCE });
      expect(published.status).toBe(201);
      // b hears about it over the admin bus and re-reads the store
      let seen = { status: 0, output: undefined as unknown };
      for (let i = 0; i < 250 && seen.status !== 200; i++) {
        seen = await call(b);
        if (seen.status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toEqual({ status: 200, output: 'Say hello loudly' });
    } finally {
      await a.close(500);
      await b.close(500);
    }
    const c = await startInstance(YAML, env);
    try {
      expect(await call(c)).toEqual({ status: 200, output: 'Say hello loudly' });
    } finally {
      await c.close(500);
    }
  });
});
