import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/instance.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const PROCESSES = 4;
const ROUNDS = 20;

describe('migrations run under a lock', () => {
  it(`${PROCESSES} processes opening a fresh database at the same instant, ${ROUNDS} times: none fails, the schema is applied once`, async () => {
    const tmp = tempDir();
    try {
      const children = Array.from({ length: PROCESSES }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/metering/migrate-child.ts', tmp.dir, String(ROUNDS)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const ready = new Promise<void>((resolve, reject) => {
          child.stdout.on('data', () => out.includes('ready\n') && resolve());
          child.once('exit', () => reject(new Error(`migrate child exited before it was ready: ${err}`)));
        });
        const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
        return { child, ready, done, out: () => out, err: () => err };
      });
      // Every process loaded first (module loading would stagger them), then one start time for all.
      await Promise.all(children.map((c) => c.ready));
      const t0 = Date.now() + 200;
      for (const c of children) c.child.stdin.end(`${t0}\n`);
      expect(await Promise.all(children.map((c) => c.done))).toEqual(Array(PROCESSES).fill(0));

      const results = children.flatMap((c) => c.out().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { round: number; tables?: string[]; error?: string }));
      expect(results.filter((r) => r.error)).toEqual([]);
      expect(results).toHaveLength(PROCESSES * ROUNDS);
      for (const r of results) expect(r.tables).toEqual(expect.arrayContaining(['__drizzle_migrations', 'api_keys', 'teams', 'usage_records', 'prompt_versions']));
      for (let i = 0; i < ROUNDS; i++) {
        const db = new Database(`${tmp.dir}/round-${i}.db`, { readonly: true });
        const applied = (db.prepare('SELECT hash FROM __drizzle_migrations').all() as { hash: string }[]).map((m) => m.hash);
        db.close();
        expect(new Set(applied).size).toBe(applied.length); // each migration recorded once
        expect(applied.length).toBeGreaterThanOrEqual(3);
      }
    } finally {
      tmp.remove();
    }
  }, 60_000);
});
