import { execFile, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './redis.js';

export interface TestPostgres {
  /** `postgres://tollgate@127.0.0.1:<port>/tollgate` (trust auth on loopback, no password). */
  url: string;
  port: number;
  /** The cluster's temp directory (data, log, socket); deleted by stop(). */
  dir: string;
  /** A fresh empty database in this cluster; its URL. Names: lower-case letters, digits, `_`. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL through `psql` against one database; its unaligned, tuples-only output. */
  psql(database: string, sql: string): Promise<string>;
  /** Stops the server as an operator would (`pg_ctl stop -m fast`), keeping the data: an outage. */
  down(): Promise<void>;
  /** Starts the stopped server again, on the same port with the same data. */
  up(): Promise<void>;
  /** Stops the server (immediate) and deletes the cluster's directory. */
  stop(): Promise<void>;
}

const USER = 'tollgate';
const NEEDED = ['initdb', 'pg_ctl', 'postgres', 'createdb', 'psql'];

const hasAll = (dir: string) => NEEDED.every((b) => existsSync(join(dir, b)));

/** The PostgreSQL server binaries: the newest /usr/lib/postgresql/<v>/bin, else the PATH's. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (hasAll(join(root, v, 'bin'))) return join(root, v, 'bin');
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && hasAll(dir)) return dir;
  return undefined;
}

/**
 * initdb refuses to run as root: as root the cluster runs as the `postgres` system user (the
 * one the distribution package creates). undefined = run as ourselves.
 */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const u = id('-u');
  const g = id('-g');
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * Why the PostgreSQL tests cannot run here, or undefined when they can. Only a machine without
 * the binaries (or, as root, without the `postgres` user) skips; anything else fails loudly.
 */
export function postgresSkipReason(): string | undefined {
  if (!postgresBinDir()) {
    return `PostgreSQL binaries (${NEEDED.join(', ')}) not found under /usr/lib/postgresql/*/bin or on PATH (apt-get install -y postgresql; .ci/run installs it)`;
  }
  if (process.getuid?.() === 0 && !runAs()) return 'running as root and there is no `postgres` user to run the cluster as (initdb refuses root)';
  return undefined;
}

function run(bin: string, args: string[], opts: { cwd: string; user?: { uid: number; gid: number } }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd: opts.cwd, env: { ...process.env, LC_ALL: 'C', PGTZ: 'UTC' }, ...opts.user, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Starts a throwaway PostgreSQL cluster: `initdb` in a new temp directory, `pg_ctl start` on a
 * free loopback port (no other socket), durability off since nothing outlives the test run.
 * Throws when it cannot; callers skip only on postgresSkipReason().
 */
export async function startPostgres(): Promise<TestPostgres> {
  const reason = postgresSkipReason();
  if (reason) throw new Error(reason);
  const bin = postgresBinDir()!;
  const user = runAs();
  const base = mkdtempSync(join(tmpdir(), 'tollgate-pg-'));
  if (user) chownSync(base, user.uid, user.gid);
  const data = join(base, 'data');
  const pg = (name: string, args: string[]) => run(join(bin, name), args, { cwd: base, user });
  const remove = () => rmSync(base, { recursive: true, force: true });
  try {
    await pg('initdb', ['-D', data, '-U', USER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
  } catch (err) {
    remove();
    throw err;
  }
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${base}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=16MB',
  ].join(' ');
  const stopCmd = `${join(bin, 'pg_ctl')} -D '${data}' -m immediate -w stop >/dev/null 2>&1; rm -rf '${base}'`;
  const stopNow = () => spawnSync('sh', ['-c', stopCmd], { cwd: base, stdio: 'ignore', ...user });
  const start = () => pg('pg_ctl', ['-D', data, '-l', join(base, 'server.log'), '-w', '-t', '30', '-o', options, 'start']);
  try {
    await start();
  } catch (err) {
    stopNow();
    throw err;
  }
  // pg_ctl daemonizes the server: a watchdog stops it and deletes the cluster once this process
  // is gone, however it ends (vitest kills its workers; a SIGKILL runs no exit handler).
  const watchdog = spawn('sh', ['-c', `while [ -e /proc/${process.pid} ] || kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCmd}`], {
    cwd: base,
    detached: true,
    stdio: 'ignore',
    ...user,
  });
  watchdog.unref();
  let stopped = false;
  try {
    await pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, USER]);
  } catch (err) {
    watchdog.kill();
    stopNow();
    throw err;
  }
  const urlOf = (db: string) => `postgres://${USER}@127.0.0.1:${port}/${db}`;
  return {
    url: urlOf(USER),
    port,
    dir: base,
    async createDatabase(name) {
      if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad test database name: ${name}`);
      await pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, name]);
      return urlOf(name);
    },
    down: async () => void (await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])),
    up: async () => void (await start()),
    psql: (db, sql) => pg('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-d', db, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql]),
    async stop() {
      if (stopped) return;
      stopped = true;
      watchdog.kill();
      try {
        await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        remove();
      }
    },
  };
}
