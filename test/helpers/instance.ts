import { validateOpenAI } from '../openapi/validate.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { startGateway, type Started, type StartOptions } from '../../src/server/start.js';
import type { Storage as SqliteStorage } from '../../src/storage/sqlite/open.js';
import { withTestPromptsDir } from './prompts-dir.js';
import { runLogStream } from './run-logs.js';

export interface Instance extends Omit<Started, 'storage'> {
  url: string;
  /** The SQLite file, which tests on the default backend read directly (throws on PostgreSQL: use `database`). */
  storage: SqliteStorage;
  /** The open database, either dialect. */
  database: Started['storage'];
}

export const ADMIN_KEY = 'tg_admin_test_key_0123456789';

/** A temporary directory for a test's SQLite file; removed by the returned function. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A full gateway (storage, ledger, counters, admin API) as `npm start` builds it, in process,
 * on a random loopback port. Several instances given the same `dbUrl` and `redisUrl` behave as
 * a scaled-out deployment.
 */
export async function startInstance(yaml: string, env: Record<string, string>, opts: StartOptions = {}): Promise<Instance> {
  const full = { TOLLGATE_ADMIN_KEY: ADMIN_KEY, ...env };
  const snapshot = buildSnapshot(withTestPromptsDir(parseConfigText(yaml, full)), full);
  const logStream = opts.logStream ?? runLogStream(snapshot.secrets);
  const started = await startGateway(snapshot, { watchPrompts: false, ...opts, logger: Boolean(logStream), ...(logStream && { logStream }) });
  const url = await started.listen('127.0.0.1', 0);
  const { storage, ...rest } = started;
  return {
    ...rest,
    url,
    database: storage,
    get storage() {
      if (storage.kind !== 'sqlite') throw new Error('this instance runs on PostgreSQL: read instance.database.pg');
      return storage.sqlite;
    },
  };
}

export async function adminCall(url: string, method: string, path: string, body?: unknown, key = ADMIN_KEY): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

export async function chat(url: string, key: string, body: Record<string, unknown>): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  // Every /v1 body a test sees is checked against OpenAI's own schemas (openai-openapi.yaml).
  const errors = validateOpenAI(res.status >= 400 ? 'ErrorResponse' : 'CreateChatCompletionResponse', json);
  if (errors.length) throw new Error(`response does not match OpenAI's schema: ${JSON.stringify(errors).slice(0, 500)}`);
  return { status: res.status, json, headers: res.headers };
}
