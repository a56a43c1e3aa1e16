import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createLedger } from '../../src/storage/sqlite/ledger.js';
import { openStorage } from '../../src/storage/sqlite/open.js';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis.js';
import { tempDir } from '../helpers/instance.js';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('kill -9 under load', () => {
  it('loses no record of a request whose response completed', async () => {
    const tmp = tempDir();
    const port = await freePort();
    writeFileSync(`${tmp.dir}/tollgate.yaml`, 'providers:\n  mock: { type: mock, latency_ms: 5 }\nprompts:\n  dir: ' + `${tmp.dir}/prompts\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TOLLGATE_CONFIG: `${tmp.dir}/tollgate.yaml`, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db`, LOG_LEVEL: 'warn', TOLLGATE_REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    try {
      const up = Date.now() + 20_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`gateway exited: ${stderr}`);
        try {
          if ((await fetch(`${url}/healthz`)).ok) break;
        } catch {}
        if (Date.now() > up) throw new Error(`gateway did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }

      // 16 clients in a loop; a response counts as completed once its whole body was read.
      const completed: string[] = [];
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop && (w >= 0 || i < 3); i++) {
          try {
            const stream = i % 3 === 0;
            const res = await fetch(`${url}/v1/chat/completions`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'mock/echo', stream, messages: [{ role: 'user', content: `worker ${w} request ${i}` }] }),
            });
            const body = await res.text();
            if (res.status === 200 && (stream ? body.includes('[DONE]') : body.includes('"usage"'))) completed.push(res.headers.get('x-request-id')!);
          } catch {
            return; // the gateway died under us
          }
        }
      };
      // Warm up (first-use costs: JIT, connections), then load; kill while requests are in flight.
      await worker(-1).then(() => undefined, () => undefined);
      const workers = Array.from({ length: 16 }, (_, w) => worker(w));
      const until = Date.now() + 15_000;
      while (completed.length < 150 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 37));
      child.kill('SIGKILL');
      await Promise.all(workers);
      stop = true;
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      expect(child.signalCode).toBe('SIGKILL');
      expect(completed.length).toBeGreaterThan(100);

      // What the next start sees: it opens the database and replays the ledger's spool
      // (records appended before their responses completed, not yet committed in a batch).
      const spools = readdirSync(tmp.dir).filter((f) => f.startsWith('ledger.db.spool-') && !f.endsWith('.lock'));
      expect(spools, readdirSync(tmp.dir).join(" ")).toHaveLength(1);
      const spooled = readFileSync(`${tmp.dir}/${spools[0]}`, 'utf8').split('\n').filter(Boolean).length;
      const storage = openStorage(`sqlite:${tmp.dir}/ledger.db`);
      createLedger(storage).close();
      storage.close();
      const db = new Database(`${tmp.dir}/ledger.db`);
      const ids = new Set((db.prepare('SELECT request_id FROM usage_records').all() as { request_id: string }[]).map((r) => r.request_id));
      db.close();
      console.log(`kill -9: ${completed.length} completed, ${spooled} recovered from the spool`);
      const lost = completed.filter((id) => !ids.has(id));
      expect(lost).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      tmp.remove();
    }
  }, 40_000);
});
