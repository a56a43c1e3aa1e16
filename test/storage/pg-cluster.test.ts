import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';

/**
 * The throwaway PostgreSQL cluster the PostgreSQL storage tests run against: a real server on a
 * loopback port, separate databases, gone after stop. Skips only where the binaries are missing.
 */
const skip = postgresSkipReason();

/** Whether something accepts TCP connections on 127.0.0.1:port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe.skipIf(skip)(`throwaway PostgreSQL cluster${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  it('serves SQL over TCP on its loopback port, at the URL it reports', async () => {
    expect(pg.url).toBe(`postgres://tollgate@127.0.0.1:${pg.port}/tollgate`);
    expect(await listening(pg.port)).toBe(true);
    expect((await pg.psql('tollgate', 'SELECT current_user, current_database(), 6 * 7')).trim()).toBe('tollgate|tollgate|42');
    expect((await pg.psql('tollgate', 'SHOW server_version_num')).trim()).toMatch(/^\d{5,6}$/);
  });

  it('gives each caller its own database', async () => {
    const a = await pg.createDatabase('iso_a');
    const b = await pg.createDatabase('iso_b');
    expect(a).toBe(`postgres://tollgate@127.0.0.1:${pg.port}/iso_a`);
    expect(b).not.toBe(a);
    await pg.psql('iso_a', 'CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)');
    expect((await pg.psql('iso_a', 'SELECT sum(n) FROM t')).trim()).toBe('3');
    await expect(pg.psql('iso_b', 'SELECT * FROM t')).rejects.toThrow(/relation "t" does not exist/);
    await expect(pg.createDatabase('Bad-Name')).rejects.toThrow(/bad test database name/);
  });

  it('stops the server and deletes its directory; two clusters run side by side', async () => {
    const other = await startPostgres();
    expect(other.port).not.toBe(pg.port);
    expect(other.dir).not.toBe(pg.dir);
    expect(existsSync(other.dir)).toBe(true);
    await other.psql('tollgate', 'CREATE TABLE only_here (n int)');
    await expect(pg.psql('tollgate', 'SELECT * FROM only_here')).rejects.toThrow(/does not exist/);
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    expect(await listening(other.port)).toBe(false);
    await other.stop(); // a second stop is a no-op
    expect(await listening(pg.port)).toBe(true);
  });

  it('a process killed with SIGKILL leaves no server or directory behind', async () => {
    const helper = fileURLToPath(new URL('../helpers/postgres.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `const pg = await (await import(${JSON.stringify(helper)})).startPostgres(); console.log(JSON.stringify({ dir: pg.dir, port: pg.port })); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const started = await new Promise<{ dir: string; port: number }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out));
      });
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before its cluster started`)));
    });
    expect(await listening(started.port)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while ((existsSync(started.dir) || (await listening(started.port))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(existsSync(started.dir)).toBe(false);
    expect(await listening(started.port)).toBe(false);
  });
});
