import type { TSchema } from '@sinclair/typebox';
import { AuditList, ConfigReload, Key, KeyCreate, KeyCreated, Limits, list, RequestLogDetail, RequestLogList, Team, TeamCreate, TeamUpdate, UsageReport } from './api-schemas.js';
import { consolePaths, consoleSchemas } from './console-openapi.js';
import { GROUP_BY } from './usage-report.js';
import { REQUEST_LOG_KINDS } from './request-logs.js';

/**
 * The admin API's part of `/openapi.json`: the same TypeBox schemas the routes validate with
 * (./api-schemas.ts), as components, and one operation per route.
 */
// TypeBox schemas carry symbol keys (invisible to JSON); a JSON round trip leaves the plain schema.
const plain = (s: TSchema) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;

export const adminSchemas: Record<string, unknown> = {
  Limits: plain(Limits),
  TeamCreate: plain(TeamCreate),
  TeamUpdate: plain(TeamUpdate),
  Team: plain(Team),
  TeamList: plain(list(Team)),
  KeyCreate: plain(KeyCreate),
  Key: plain(Key),
  KeyCreated: plain(KeyCreated),
  KeyList: plain(list(Key)),
  UsageReport: plain(UsageReport),
  AuditList: plain(AuditList),
  ConfigReload: plain(ConfigReload),
  RequestLogList: plain(RequestLogList),
  RequestLogDetail: plain(RequestLogDetail),
  ...consoleSchemas,
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
const ok = (description: string, name: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
const error = { description: 'An error in OpenAI’s envelope (400 names the field in `param`; 403 without the admin key; 404 unknown id; 409 duplicate name).', content: { 'application/json': { schema: ref('Error') } } };
const id = (what: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: `${what} id` });
const security = [{ adminKey: [] }];
const op = (o: Record<string, unknown>) => ({ tags: ['admin'], security, ...o });

const usageParams = [
  { name: 'team_id', in: 'query', schema: { type: 'string' } },
  { name: 'from', in: 'query', schema: { type: 'string' }, description: 'ISO date or date-time, inclusive (UTC when no zone)' },
  { name: 'to', in: 'query', schema: { type: 'string' }, description: 'ISO date (that day included) or date-time, exclusive' },
  { name: 'group_by', in: 'query', schema: { enum: [...GROUP_BY], default: 'team' }, description: '`week` is the ISO week (its Monday), `month` YYYY-MM, both UTC' },
  { name: 'split_by', in: 'query', schema: { enum: [...GROUP_BY] }, description: 'a second dimension: one row per (group_by, split_by) pair, e.g. day × team' },
  { name: 'key_id', in: 'query', schema: { type: 'string' } },
  { name: 'model', in: 'query', schema: { type: 'string' }, description: 'the resolved model (without its provider)' },
  { name: 'provider', in: 'query', schema: { type: 'string' } },
];

const requestLogParams = [
  { name: 'team_id', in: 'query', schema: { type: 'string' } },
  { name: 'key_id', in: 'query', schema: { type: 'string' } },
  { name: 'model', in: 'query', schema: { type: 'string' }, description: 'the resolved model, as in usage reports' },
  { name: 'kind', in: 'query', schema: { enum: [...REQUEST_LOG_KINDS] } },
  { name: 'status', in: 'query', schema: { type: 'integer', minimum: 100, maximum: 599 } },
  { name: 'from', in: 'query', schema: { type: 'string' }, description: 'ISO date or date-time, or Unix milliseconds; inclusive' },
  { name: 'to', in: 'query', schema: { type: 'string' }, description: 'ISO date (that day included) or date-time, or Unix milliseconds; exclusive' },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor of the previous page' },
];

export const adminPaths: Record<string, unknown> = {
  '/admin/teams': {
    post: op({ operationId: 'createTeam', summary: 'Create a team with optional limits.', requestBody: body('TeamCreate'), responses: { '201': ok('The team', 'Team'), default: error } }),
    get: op({ operationId: 'listTeams', summary: 'Every team.', responses: { '200': ok('Teams', 'TeamList'), default: error } }),
  },
  '/admin/teams/{id}': {
    get: op({ operationId: 'getTeam', summary: 'One team.', parameters: [id('team')], responses: { '200': ok('The team', 'Team'), default: error } }),
    patch: op({ operationId: 'updateTeam', summary: 'Change a team’s name or limits (effective for the next request, on every instance).', parameters: [id('team')], requestBody: body('TeamUpdate'), responses: { '200': ok('The team', 'Team'), default: error } }),
  },
  '/admin/keys': {
    post: op({ operationId: 'createKey', summary: 'Create a key for a team; the key is in this response only.', requestBody: body('KeyCreate'), responses: { '201': ok('The key, shown once', 'KeyCreated'), default: error } }),
    get: op({ operationId: 'listKeys', summary: 'Keys (newest first), by prefix; never the key itself.', parameters: [{ name: 'team_id', in: 'query', schema: { type: 'string' } }], responses: { '200': ok('Keys', 'KeyList'), default: error } }),
  },
  '/admin/keys/{id}': {
    delete: op({ operationId: 'revokeKey', summary: 'Revoke a key: refused at once, on every instance.', parameters: [id('key')], responses: { '200': ok('The revoked key', 'Key'), default: error } }),
  },
  '/admin/usage': {
    get: op({ operationId: 'usageReport', summary: 'Requests, tokens and cost grouped by team, key, model, provider, day, prompt or route.', parameters: usageParams, responses: { '200': ok('The report', 'UsageReport'), default: error } }),
  },
  '/admin/audit': {
    get: op({
      operationId: 'listAudit',
      summary: 'The audit trail, newest first: who changed what, with before/after (never a key or a configured secret).',
      parameters: [
        ...['action', 'target_type', 'target_id', 'actor'].map((name) => ({ name, in: 'query', schema: { type: 'string', maxLength: 200 } })),
        usageParams[1],
        usageParams[2],
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'the previous page’s next_cursor' },
      ],
      responses: { '200': ok('Audit entries', 'AuditList'), default: error },
    }),
  },
  '/admin/config/reload': {
    post: op({
      operationId: 'reloadConfig',
      summary: 'Read the config file again and apply it (400 `invalid_config` naming every problem, and nothing changes, when it is invalid). Per instance: reload each.',
      responses: { '200': ok('What changed', 'ConfigReload'), default: error },
    }),
  },
  '/admin/usage.csv': {
    get: op({ operationId: 'usageReportCsv', summary: 'The same report as CSV (cells that a spreadsheet would run as a formula are neutralised).', parameters: usageParams, responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, default: error } }),
  },
  '/admin/requests': {
    get: op({ operationId: 'listRequests', summary: 'Stored requests of every team (request logs), newest first, without bodies.', parameters: requestLogParams, responses: { '200': ok('One page', 'RequestLogList'), default: error } }),
  },
  '/admin/requests/{id}': {
    get: op({ operationId: 'getRequest', summary: 'One stored request with its (redacted, capped) bodies and its usage.', parameters: [id('request')], responses: { '200': ok('The stored request', 'RequestLogDetail'), default: error } }),
  },
  '/v1/requests': {
    get: { tags: ['admin'], operationId: 'ownRequests', summary: 'A team key lists its own team’s stored requests (another team_id is a 403).', parameters: requestLogParams, responses: { '200': ok('One page', 'RequestLogList'), default: error } },
  },
  '/v1/requests/{id}': {
    get: { tags: ['admin'], operationId: 'ownRequest', summary: 'One of the team’s stored requests (another team’s id is a 404).', parameters: [id('request')], responses: { '200': ok('The stored request', 'RequestLogDetail'), default: error } },
  },
  '/v1/usage': {
    get: { tags: ['admin'], operationId: 'ownUsage', summary: 'A team key reads its own team’s usage (same report; other teams are invisible).', parameters: usageParams.slice(1), responses: { '200': ok('The report', 'UsageReport'), default: error } },
  },
  ...consolePaths,
};
