/** `/metrics` fit to scrape: one `tollgate_` prefix, and `metrics.public: false` / `metrics.token` guarding it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const TOKEN = 'scrape-token-7Hq2Lm9Xv4Rb8Nc1';
let open: Instance;
let guarded: Instance;
const tmp = tempDir();

beforeAll(async () => {
  open = await startInstance('', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/a.db` });
  guarded = await startInstance(`metrics: { public: false, token: "${TOKEN}" }\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/b.db` });
});
afterAll(async () => {
  await open?.close(1000);
  await guarded?.close(1000);
  tmp.remove();
});

const get = (base: string, key?: string) => fetch(`${base}/metrics`, key ? { headers: { authorization: `Bearer ${key}` } } : {});

describe('/metrics', () => {
  it('is public by default, with process metrics under one tollgate_ prefix', async () => {
    const r = await get(open.url);
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain('tollgate_process_cpu_seconds_total');
    expect(text).toContain('tollgate_nodejs_heap_size_used_bytes');
    expect(text).not.toContain('tollgate_process_process_');
  });

  it('with metrics.public false: 401 without a key, 401 for an unknown key, 200 for the token or the admin key', async () => {
    const none = await get(guarded.url);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.type).toBe('authentication_error');
    expect((await get(guarded.url, 'not-the-token-at-all-000')).status).toBe(401);
    expect((await get(guarded.url, TOKEN)).status).toBe(200);
    expect((await get(guarded.url, ADMIN_KEY)).status).toBe(200);
  });
});
