import type { Store } from '../ports.js';
import { sqliteAuditRepo, sqliteKeysRepo, sqlitePromptsRepo, sqliteTeamsRepo } from './admin-repos.js';
import type { Storage } from './open.js';
import { sqliteAlertsRepo, sqliteRequestLogsRepo, sqliteSessionsRepo } from './runtime-repos.js';
import { sqliteResponsesStore } from './responses-repo.js';
import { sqliteUsageRepo } from './usage-repo.js';

/**
 * The ports over an open SQLite file. better-sqlite3 is synchronous: each method does its work
 * before its promise is returned, so a write is committed by the time the call returns.
 */
export function sqliteStore(storage: Storage): Store {
  const { db } = storage;
  return {
    usage: sqliteUsageRepo(db),
    teams: sqliteTeamsRepo(db),
    keys: sqliteKeysRepo(db),
    audit: sqliteAuditRepo(db),
    prompts: sqlitePromptsRepo(db),
    sessions: sqliteSessionsRepo(storage),
    alerts: sqliteAlertsRepo(storage),
    requestLogs: sqliteRequestLogsRepo(storage),
    responses: sqliteResponsesStore(db),
    ping: async () => storage.ping(),
  };
}
