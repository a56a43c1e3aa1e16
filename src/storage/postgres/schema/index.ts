/** The PostgreSQL schema, table for table the SQLite one (../../sqlite/schema/); drizzle-kit reads this index (../drizzle.config.ts). */
export { auditLog } from './audit.js';
export { apiKeys } from './keys.js';
export { teams } from './teams.js';
export { usageRecords } from './usage.js';
export { promptVersions } from './prompts.js';
export { requestLogs } from './request-logs.js';
export { alertDeliveries } from './alerts.js';
export { uiSessions } from './sessions.js';
export { storedResponses } from './responses.js';
export { usageDaily } from './usage-daily.js';
