import type { Store } from '../ports.js';
import { pgAuditRepo, pgKeysRepo, pgPromptsRepo, pgTeamsRepo } from './admin-repos.js';
import type { PgStorage } from './open.js';
import { pgAlertsRepo, pgRequestLogsRepo, pgSessionsRepo } from './runtime-repos.js';
import { pgResponsesStore } from './responses-repo.js';
import { pgUsageRepo } from './usage-repo.js';

/** The ports over an open PostgreSQL database; every write is committed when its promise resolves. */
export function postgresStore(storage: PgStorage): Store {
  const { db } = storage;
  return {
    usage: pgUsageRepo(db),
    teams: pgTeamsRepo(db),
    keys: pgKeysRepo(db),
    audit: pgAuditRepo(db),
    prompts: pgPromptsRepo(db),
    sessions: pgSessionsRepo(db),
    alerts: pgAlertsRepo(db),
    requestLogs: pgRequestLogsRepo(db),
    responses: pgResponsesStore(db),
    ping: () => storage.ping(),
  };
}
