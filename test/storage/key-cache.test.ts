import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, type AdminBus } from '../../src/admin/bus.js';
import { createKeyStore, type KeyStore } from '../../src/admin/key-store.js';
import { AdminService } from '../../src/admin/service.js';
import { sha256 } from '../../src/config/snapshot.js';
import { createMemoryCounters } from '../../src/metering/limits/memory-counters.js';
import { openStorage, type Storage } from '../../src/storage/open.js';
import { tempDir } from '../helpers/instance.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

/**
 * The per-instance key map (src/admin/key-store.ts) over the storage ports: two instances on one
 * database (a SQLite file, or PostgreSQL), told of each other's changes by the real Redis admin bus.
 */
interface Node {
  storage: Storage;
  keys: KeyStore;
  bus: AdminBus;
  admin: AdminService;
}

const pgSkip = postgresSkipReason();
const backends = [
  { name: 'one SQLite file', skip: undefined },
  { name: 'PostgreSQL', skip: pgSkip },
] as const;

describe.each(backends)('key cache across instances ($name, Redis bus)', ({ name, skip }) => {
  let redis: TestRedis;
  let tmp: ReturnType<typeof tempDir>;
  let pg: TestPostgres | undefined;
  let url: string;
  let a: Node;
  let b: Node;

  const node = async (): Promise<Node> => {
    const storage = await openStorage(url, { poolSize: 2 });
    const keys = await createKeyStore(storage.store);
    const bus = createRedisBus(redis.url, (change) => {
      keys.forget(change);
      void keys.reload();
    });
    expect(await bus.ready(5000)).toBe(true);
    return { storage, keys, bus, admin: new AdminService(storage.store, keys, bus, createMemoryCounters()) };
  };

  beforeAll(async () => {
    if (skip) return;
    redis = await startRedis();
    tmp = tempDir();
    if (name === 'PostgreSQL') {
      pg = await startPostgres();
      url = await pg.createDatabase('keys');
    } else url = `sqlite:${tmp.dir}/keys.db`;
    a = await node();
    b = await node();
  });
  afterAll(async () => {
    for (const n of [a, b]) {
      await n?.bus.close();
      await n?.storage.close();
    }
    await redis?.stop();
    await pg?.stop();
    tmp?.remove();
  });

  it.skipIf(skip)('a key created on A works on B at once, from memory (the bus reloaded B before createKey returned)', async () => {
    const team = await a.admin.createTeam({ name: 'cache-team' }, 'admin');
    const { key, id } = await a.admin.createKey({ team_id: team.id }, 'admin');
    await new Promise((r) => setTimeout(r, 50));
    // A plain value, no promise: the hot path's synchronous case.
    expect(b.keys.find(sha256(key))).toMatchObject({ kind: 'team-key', keyId: id, teamId: team.id });
  });

  it.skipIf(skip)('an instance that missed the message finds the new key in the database once, then in memory', async () => {
    const storage = await openStorage(url, { poolSize: 1 });
    const deaf = await createKeyStore(storage.store); // no bus
    const team = await a.admin.createTeam({ name: 'deaf-team' }, 'admin');
    const { key, id } = await a.admin.createKey({ team_id: team.id }, 'admin');
    const first = deaf.find(sha256(key));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ kind: 'team-key', keyId: id, teamId: team.id });
    expect(deaf.find(sha256(key))).toMatchObject({ keyId: id });
    expect(await deaf.find(sha256('tg_not_a_key'))).toBeUndefined();
    await storage.close();
  });

  it.skipIf(skip)('a key revoked on A is refused by B as soon as the bus message arrives, and stays refused', async () => {
    const team = await a.admin.createTeam({ name: 'revoke-team' }, 'admin');
    const { key, id } = await a.admin.createKey({ team_id: team.id }, 'admin');
    const hash = sha256(key);
    expect(await b.keys.find(hash)).toMatchObject({ keyId: id });
    // In B's map once its reload (started by A's bus message) has finished: on PostgreSQL that
    // reload can still be in flight when the database read above answers.
    for (const until = Date.now() + 5000; b.keys.find(hash) instanceof Promise && Date.now() < until; ) await new Promise((r) => setTimeout(r, 5));
    expect(b.keys.find(hash)).toMatchObject({ keyId: id }); // in B's map
    await a.admin.revokeKey(id, 'admin');
    expect(await a.keys.find(hash)).toBeUndefined(); // A reloaded before revokeKey returned
    // The message arrives within milliseconds; from then B drops the key and the database says revoked.
    const deadline = Date.now() + 5000;
    while ((await b.keys.find(hash)) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(await b.keys.find(hash)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50)); // B's reload has finished (it holds unrevoked keys only): still refused
    expect(await b.keys.find(hash)).toBeUndefined();
  });
});
