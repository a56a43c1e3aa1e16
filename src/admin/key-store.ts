import { eq, isNull } from 'drizzle-orm';
import type { KeyLookup, Principal } from '../engine/auth.js';
import { compileLimits, type Limits, type LimitsInput } from '../metering/limits/limits.js';
import type { LimitedScope } from '../metering/limits/rebuild.js';
import type { Db } from '../storage/sqlite/open.js';
import { apiKeys, teams } from '../storage/sqlite/schema/index.js';

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
  reload(): void;
  /** Team and key scopes that carry limits (rebuilding counters at start). */
  limitedScopes(): LimitedScope[];
}

/**
 * The key lookup of the hot path (engine/auth.ts): synchronous, from an in-memory map of
 * sha256(key) → Principal loaded from the database at start and reloaded on every admin change
 * (on other instances through the Redis bus, ../admin/bus.ts). A hash missing from the map is
 * looked up in the database once (a key just created on another instance), so a key works
 * everywhere as soon as its creation returned. Revoked and expired keys are refused here; with
 * Redis, the admission script also refuses a revoked key atomically on every instance, so
 * revocation does not wait for the bus.
 */
export function createKeyStore(db: Db, now: () => number = Date.now): KeyStore {
  let byHash = new Map<string, Entry>();
  let teamInfo = new Map<string, TeamInfo>();
  let any = false;

  const entryOf = (row: typeof apiKeys.$inferSelect, info: Map<string, TeamInfo>): Entry => {
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

  const loadTeams = () => {
    const m = new Map<string, TeamInfo>();
    for (const t of db.select({ id: teams.id, limits: teams.limits, requestLogs: teams.requestLogs }).from(teams).all()) {
      m.set(t.id, { limits: compileLimits(parseJson<LimitsInput>(t.limits)), requestLogs: t.requestLogs });
    }
    return m;
  };

  const store: KeyStore = {
    reload() {
      const info = loadTeams();
      const next = new Map<string, Entry>();
      for (const row of db.select().from(apiKeys).where(isNull(apiKeys.revokedAt)).all()) next.set(row.keyHash, entryOf(row, info));
      teamInfo = info;
      byHash = next;
      any = next.size > 0;
    },
    hasKeys: () => any,
    find(hash) {
      let e = byHash.get(hash);
      if (!e) {
        const row = db.select().from(apiKeys).where(eq(apiKeys.keyHash, hash)).get();
        if (!row) return undefined;
        if (!teamInfo.has(row.teamId)) teamInfo = loadTeams();
        e = entryOf(row, teamInfo);
        if (!e.revoked) {
          byHash.set(hash, e);
          any = true;
        }
      }
      if (e.revoked) return undefined;
      if (e.expiresAt !== null && e.expiresAt <= now()) return undefined;
      return e.principal;
    },
    limitedScopes() {
      const out: LimitedScope[] = [];
      for (const [id, { limits }] of teamInfo) if (limits) out.push({ scope: 'team', id, limits });
      for (const e of byHash.values()) if (e.principal.limits) out.push({ scope: 'key', id: e.principal.keyId!, limits: e.principal.limits as Limits });
      return out;
    },
  };
  store.reload();
  return store;
}

export function parseJson<T>(text: string | null): T | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
