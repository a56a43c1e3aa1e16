/**
 * The audit trail (GET /admin/audit) and config reload: every admin change is recorded with who,
 * when and what changed (before/after), never a key or a configured secret; a reload swaps the
 * config in (a new alias answers at once), refuses an invalid file without changing anything,
 * and is audited with the changed sections, secrets redacted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditList, ConfigReload } from '../../src/admin/api-schemas.js';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { withTestPromptsDir } from '../helpers/prompts-dir.js';

const PROVIDER_KEY = 'sk-audit-provider-secret-0123456789';
const configV1 = `providers:\n  mock: { type: mock }\n  other: { type: openai, base_url: "http://127.0.0.1:9/v1", api_key: "${PROVIDER_KEY}" }\n`;
const configV2 = `${configV1}models:\n  fast: { targets: [mock/echo] }\nserver: { port: 9999 }\n`;

// Responses match the schemas /openapi.json publishes for them.
const ajv = new Ajv({ strict: false });
const isAuditList = ajv.compile(AuditList);
const isConfigReload = ajv.compile(ConfigReload);

describe('audit trail and config reload', () => {
  let gw: Instance;
  let tmp: ReturnType<typeof tempDir>;
  let configPath: string;

  beforeAll(async () => {
    tmp = tempDir();
    configPath = join(tmp.dir, 'tollgate.yaml');
    writeFileSync(configPath, configV1);
    const env = { TOLLGATE_ADMIN_KEY: ADMIN_KEY, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` };
    const source = () => {
      const loaded = withTestPromptsDir(parseConfigText(readFileSync(configPath, 'utf8'), env, configPath));
      return { snapshot: buildSnapshot(loaded, env), file: loaded.file, path: configPath };
    };
    gw = await startInstance(configV1, env, { configSource: source, configFile: source().file });
  });
  afterAll(async () => {
    await gw?.close(1000);
    tmp?.remove();
  });

  it('records team and key changes with before/after, newest first, never the key itself', async () => {
    const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'audited', limits: { rpm: 10 } })).json;
    expect((await adminCall(gw.url, 'PATCH', `/admin/teams/${team.id}`, { limits: { rpm: 20 } })).status).toBe(200);
    const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name: 'k' })).json;
    expect((await adminCall(gw.url, 'DELETE', `/admin/keys/${key.id}`)).status).toBe(200);

    const res = await adminCall(gw.url, 'GET', '/admin/audit');
    expect(res.status).toBe(200);
    expect(isAuditList(res.json), JSON.stringify(isAuditList.errors)).toBe(true);
    expect(res.json.data.map((e: any) => e.action)).toEqual(['key.revoke', 'key.create', 'team.update', 'team.create']);
    const [revoke, create, update] = res.json.data;
    expect(update).toMatchObject({ actor: 'admin', target_type: 'team', target_id: team.id, before: { limits: { rpm: 10 } }, after: { limits: { rpm: 20 } } });
    expect(create.after).toMatchObject({ team_id: team.id, name: 'k', prefix: key.prefix });
    expect(revoke).toMatchObject({ before: { revoked_at: null }, after: { revoked_at: expect.stringMatching(/^\d{4}-/) } });
    expect(Date.parse(revoke.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(res.json)).not.toContain(key.key);
    expect(JSON.stringify(gw.storage.sqlite.prepare('SELECT * FROM audit_log').all())).not.toContain(key.key);
  });

  it('records a prompt publish (once: republishing the same version changes nothing)', async () => {
    const source = { source: '---\nname: audited-prompt\nversion: "1.0"\nmodel: mock/echo\n---\nSay hi.' };
    expect((await adminCall(gw.url, 'POST', '/admin/prompts', source)).status).toBe(201);
    expect((await adminCall(gw.url, 'POST', '/admin/prompts', source)).status).toBe(200);
    const entries = (await adminCall(gw.url, 'GET', '/admin/audit?action=prompt.publish')).json.data;
    expect(entries).toEqual([expect.objectContaining({ actor: 'admin', target_type: 'prompt', target_id: 'audited-prompt@1.0', after: { name: 'audited-prompt', version: '1.0' } })]);
  });

  it('filters and pages; hostile query values are 400 in the API envelope', async () => {
    const byAction = await adminCall(gw.url, 'GET', '/admin/audit?action=team.update');
    expect(byAction.json.data.map((e: any) => e.action)).toEqual(['team.update']);
    const page1 = await adminCall(gw.url, 'GET', '/admin/audit?limit=3'); // 5 entries: prompt.publish, key.revoke, key.create | team.update, team.create
    expect(page1.json.data.length).toBe(3);
    expect(page1.json.next_cursor).toMatch(/^\d+$/);
    const page2 = await adminCall(gw.url, 'GET', `/admin/audit?limit=3&cursor=${page1.json.next_cursor}`);
    expect(page2.json.data.map((e: any) => e.action)).toEqual(['team.update', 'team.create']);
    expect(page2.json.next_cursor).toBeNull();
    const future = await adminCall(gw.url, 'GET', '/admin/audit?from=2999-01-01');
    expect(future.json.data).toEqual([]);
    for (const bad of ['limit=0', 'limit=1e400', 'limit=5000', 'cursor=-1', 'from=yesterday', 'action=a&action=b']) {
      const r = await adminCall(gw.url, 'GET', `/admin/audit?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.error.type).toBe('invalid_request_error');
    }
  });

  it('is admin-only', async () => {
    const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'other' })).json;
    const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id })).json;
    expect((await adminCall(gw.url, 'GET', '/admin/audit', undefined, key.key)).status).toBe(403);
    expect((await adminCall(gw.url, 'POST', '/admin/config/reload', undefined, key.key)).status).toBe(403);
    expect((await fetch(`${gw.url}/admin/audit`)).status).toBe(401);
  });

  it('config reload: a new alias answers at once, restart-only sections are reported, the audit entry carries no secret', async () => {
    expect((await chat(gw.url, ADMIN_KEY, { model: 'fast', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(404);
    writeFileSync(configPath, configV2);
    const r = await adminCall(gw.url, 'POST', '/admin/config/reload');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ object: 'config.reload', changed: ['models', 'server'], restart_required: ['server'] });
    expect(isConfigReload(r.json)).toBe(true);
    const answer = await chat(gw.url, ADMIN_KEY, { model: 'fast', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.status).toBe(200);
    expect(gw.gateway.snapshot.port).not.toBe(9999); // restart-only: the running listener's value stays

    const entry = (await adminCall(gw.url, 'GET', '/admin/audit?action=config.reload')).json.data[0];
    expect(entry).toMatchObject({ target_type: 'config', target_id: configPath, before: { models: null, server: null }, after: { models: { fast: { targets: ['mock/echo'] } }, server: { port: 9999 } } });

    // A section holding a secret: the audit shows it changed, never its value.
    writeFileSync(configPath, configV2.replace(PROVIDER_KEY, `${PROVIDER_KEY}-rotated`));
    expect((await adminCall(gw.url, 'POST', '/admin/config/reload')).json.changed).toEqual(['providers']);
    const rotated = (await adminCall(gw.url, 'GET', '/admin/audit?action=config.reload&limit=1')).json.data[0];
    expect(rotated.before.providers.other.api_key).toBe('[redacted]');
    expect(rotated.after.providers.other.api_key).toBe('[redacted]');
    expect(JSON.stringify(gw.storage.sqlite.prepare('SELECT * FROM audit_log').all())).not.toContain('audit-provider-secret');
  });

  it('an invalid config is refused with every problem named, and the running config stays', async () => {
    writeFileSync(configPath, `${configV2}aliases_typo: 1\nredis: { url: 42 }\n`);
    const r = await adminCall(gw.url, 'POST', '/admin/config/reload');
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_config');
    expect(r.json.error.message).toContain('aliases_typo: is not a known setting');
    expect(r.json.error.message).toContain('redis.url');
    expect((await chat(gw.url, ADMIN_KEY, { model: 'fast', messages: [{ role: 'user', content: 'still here' }] })).status).toBe(200);
  });
});

describe('config reload on SIGHUP (npm start)', () => {
  it('the running process reloads its config file on SIGHUP and audits it as the signal', async () => {
    const { spawnGateway } = await import('../helpers/child-gateway.js');
    const tmp = tempDir();
    const configPath = join(tmp.dir, 'tollgate.yaml');
    const prompts = `prompts: { dir: "${tmp.dir}" }\n`; // never the user's ./prompts
    writeFileSync(configPath, configV1 + prompts);
    const gw = await spawnGateway({ TOLLGATE_CONFIG: configPath, TOLLGATE_ADMIN_KEY: ADMIN_KEY, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
    try {
      const ask = () => chat(gw.url, ADMIN_KEY, { model: 'fast', messages: [{ role: 'user', content: 'hi' }] });
      expect((await ask()).status).toBe(404);
      writeFileSync(configPath, configV2 + prompts);
      gw.child.kill('SIGHUP');
      const end = Date.now() + 10_000;
      while ((await ask()).status !== 200 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect((await ask()).status).toBe(200);
      const entry = (await adminCall(gw.url, 'GET', '/admin/audit?action=config.reload')).json.data[0];
      expect(entry).toMatchObject({ actor: 'signal:SIGHUP', target_id: configPath });
    } finally {
      await gw.kill9();
      tmp.remove();
    }
  }, 60_000);
});
