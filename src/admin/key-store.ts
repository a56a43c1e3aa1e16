import type { KeyLookup, Principal } from '../engine/auth.js';
import { compileLimits, type Limits, type LimitsInput } from '../metering/limits/limits.js';
import type { LimitedScope } from '../metering/limits/rebuild.js';
import type { KeyRow, Store } from '../storage/ports.js';

interface Entry {
  principal: Principal;
  expiresAt: number | null;
  revoked: boolean;
}

/** What a key inherits from its team. */
interface TeamInfo {
  limits: Limits | undefined;
  /** Store the team's request and response bodies (teams.request_logs). */
  requestLogs: boolean;
}

export interface KeyStore extends KeyLookup {
  /** Reloads every team and key from the database (after an admin change, here or elsewhere). */
  reload(): Promise<void>;
  /**
   * Drops a key (or, for a team, every key) from the map at once, before the reload that
   * follows an admin change elsewhere: a revoked key is refused from the moment the news arrives.
   */
  forget(change: { type: string; id: string }): void;
  /** Team and key scopes that carry limits (rebuilding counters at start). */
  limitedScopes(): LimitedScope[];
}

/**
 * The key lookup of the hot path (engine/auth.ts): synchronous, from an in-memory map of
 * sha256(key) → Principal loaded from the database at start and reloaded on every admin change
 * (on other instances through the Redis bus, ../admin/bus.ts). A hash missing from the map is
 * looked up in the database (the only asynchronous case: a key just created on another
 * instance), so a key works everywhere as soon as its creation returned. A reload or lookup
 * that read the database before a change arrived never applies what it read (`forgets`,
 * `generation`): a revoked key is never put back. Revoked and expired keys are refused here; with
 * Redis, the admission script also refuses a revoked key atomically on every instance, so
 * revocation does not wait for the bus.
 */
export async function createKeyStore(store: Pick<Store, 'teams' | 'keys'>, now: () => number = Date.now): Promise<KeyStore> {
  let byHash = new Map<string, Entry>();
  let teamInfo = new Map<string, TeamInfo>();
  let any = false;
  /** Bumped by every change and every applied reload: a lookup that read before either does not cache its row. */
  let generation = 0;
  let forgets = 0;
  let reloads = 0;
  let applied = 0;

  const entryOf = (row: KeyRow, info: Map<string, TeamInfo>): Entry => {
    const team = info.get(row.teamId);
    const tl = team?.limits;
    const kl = compileLimits(parseJson<LimitsInput>(row.limits));
    const allowed = parseJson<string[]>(row.allowedModels);
    const principal: Principal = Object.freeze({
      kind: 'team-key',
      teamId: row.teamId,
      keyId: row.id,
      name: row.name,
      ...(allowed && allowed.length && { allowedModels: Object.freeze([...allowed]) }),
      ...(kl && { limits: kl }),
      ...(tl && { teamLimits: tl }),
      // The hot path checks this flag, no database read: an admin change reloads the map.
      ...(team?.requestLogs && { requestLogs: true }),
    });
    return { principal, expiresAt: row.expiresAt, revoked: row.revokedAt !== null };
  };

  const loadTeams = async () => {
    const m = new Map<string, TeamInfo>();
    for (const t of await store.teams.list()) {
      m.set(t.id, { limits: compileLimits(parseJson<LimitsInput>(t.limits)), requestLogs: t.requestLogs });
    }
    return m;
  };

  const keys: KeyStore = {
    async reload() {
      let seq: number;
      let info: Map<string, TeamInfo>;
      let rows: KeyRow[];
      // Read again when a change was forgotten meanwhile: what this call applies is at least as new as the call.
      for (;;) {
        seq = ++reloads;
        const seen = forgets;
        [info, rows] = await Promise.all([loadTeams(), store.keys.list({ unrevoked: true, order: 'asc' })]);
        if (seen === forgets) break;
      }
      if (seq < applied) return; // a reload that read later has applied already
      applied = seq;
      generation++; // lookups that read before this reload do not add their (older) rows after it
      const next = new Map<string, Entry>();
      for (const row of rows) next.set(row.keyHash, entryOf(row, info));
      teamInfo = info;
      byHash = next;
      any = next.size > 0;
    },
    forget({ type, id }) {
      forgets++;
      generation++;
      if (type === 'keys') {
        for (const [hash, e] of byHash) if (e.principal.keyId === id) byHash.delete(hash);
      } else if (type === 'teams') {
        for (const [hash, e] of byHash) if (e.principal.teamId === id) byHash.delete(hash);
      }
    },
    hasKeys: () => any,
    find(hash) {
      const e = byHash.get(hash);
      return e ? valid(e) : lookup(hash);
    },
    limitedScopes() {
      const out: LimitedScope[] = [];
      for (const [id, { limits }] of teamInfo) if (limits) out.push({ scope: 'team', id, limits });
      for (const e of byHash.values()) if (e.principal.limits) out.push({ scope: 'key', id: e.principal.keyId!, limits: e.principal.limits as Limits });
      return out;
    },
  };
  const valid = (e: Entry): Principal | undefined => {
    if (e.revoked) return undefined;
    if (e.expiresAt !== null && e.expiresAt <= now()) return undefined;
    return e.principal;
  };

  /** A hash not in the map: one database read (a key created on another instance, or no key at all). */
  const lookup = async (hash: string): Promise<Principal | undefined> => {
    const gen = generation;
    const row = await store.keys.byHash(hash);
    if (!row) return undefined;
    let info = teamInfo;
    if (!info.has(row.teamId)) info = await loadTeams();
    const e = entryOf(row, info);
    if (gen === generation && !e.revoked) {
      teamInfo = info;
      byHash.set(hash, e);
      any = true;
    }
    return valid(e);
  };

  await keys.reload();
  return keys;
}

export function parseJson<T>(text: string | null): T | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
