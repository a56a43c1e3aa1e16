import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/metering/money.js';
import { ADMIN_KEY, adminCall, tempDir } from '../helpers/instance.js';
import { ask, chat, cliAgainstGateway, tableRow } from './cli-helpers.js';

describe('tollgate CLI (built binary) against a running gateway: teams, keys, usage, prompts, models', () => {
  const t = cliAgainstGateway();
  const cli = t.cli;
  const files = tempDir();
  afterAll(() => files.remove());

  let teamId: string;
  let key: string;

  it('teams create → keys create (the key printed once) → /v1 calls → usage table with the right count and cost', async () => {
    // A budget that admits a call's worst case (mock/echo's output cap × its price).
    const team = await cli(['teams', 'create', 'search', '--budget-usd', '1000', '--rpm', '600', '-q']);
    expect(team).toMatchObject({ code: 0, stderr: '' });
    teamId = team.stdout.trim();
    expect(teamId).toMatch(/^team_/);
    expect((await adminCall(t.gw.url, 'GET', `/admin/teams/${teamId}`)).json).toMatchObject({ name: 'search', limits: { budget_usd: { amount: 1000, period: 'month' }, rpm: 600 } });

    // By team name; the key is the last line, once.
    const created = await cli(['keys', 'create', '--team', 'search', '--name', 'ci', '--allow-model', 'mock/*']);
    expect(created.code).toBe(0);
    key = created.stdout.trim().split('\n').at(-1)!.trim();
    expect(key).toMatch(/^tg_[A-Za-z0-9]{40}$/);
    expect(created.stdout.split(key).length - 1).toBe(1);
    expect(created.stdout).toContain('shown once');
    const listed = await cli(['keys', 'list', '--team', teamId]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(key);
    expect(tableRow(listed.stdout, (await adminCall(t.gw.url, 'GET', '/admin/keys')).json.data[0].id)).toEqual(expect.arrayContaining([key.slice(0, 11), teamId, 'ci', 'active', 'mock/*']));

    const a = await chat(t.gw.url, key, ask);
    const b = await chat(t.gw.url, key, ask);
    expect([a.status, b.status]).toEqual([200, 200]);
    const input = a.json.usage.prompt_tokens + b.json.usage.prompt_tokens;
    const output = a.json.usage.completion_tokens + b.json.usage.completion_tokens;

    const usage = await cli(['usage', '--group-by', 'team']);
    expect(usage).toMatchObject({ code: 0, stderr: '' });
    const lines = usage.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TEAM\s+NAME\s+REQUESTS\s+INPUT TOKENS\s+OUTPUT TOKENS\s+COST USD$/);
    // Aligned: every line of the table is as wide as its widest (right-aligned numbers end together).
    expect(new Set(lines.filter((l) => !l.startsWith('TOTAL')).map((l) => l.length)).size).toBe(1);
    expect(tableRow(usage.stdout, teamId)).toEqual([teamId, 'search', '2', String(input), String(output), formatUsd((input * 1000 + output * 2000) * 1000)]);
    expect(tableRow(usage.stdout, 'TOTAL')).toEqual(['TOTAL', '2', String(input), String(output), formatUsd((input * 1000 + output * 2000) * 1000)]);
  });

  it('usage --json and --csv are what GET /admin/usage and /admin/usage.csv answer', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const json = await cli(['usage', '--group-by', 'model', '--from', today, '--to', today, '--team', 'search', '--json']);
    expect(json.code).toBe(0);
    const api = await adminCall(t.gw.url, 'GET', `/admin/usage?group_by=model&from=${today}&to=${today}&team_id=${teamId}`);
    expect(JSON.parse(json.stdout)).toEqual(api.json);
    expect(api.json.data).toEqual([expect.objectContaining({ model: 'echo', requests: 2 })]);

    const csv = await cli(['usage', '--group-by', 'team', '--csv']);
    expect(csv.code).toBe(0);
    const apiCsv = await fetch(`${t.gw.url}/admin/usage.csv?group_by=team`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(csv.stdout).toBe(await apiCsv.text());
    const rows = csv.stdout.trim().split('\r\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['team', 'requests', 'input_tokens', 'output_tokens', 'cost_usd']);
    expect(rows.find((r) => r[0] === teamId)?.[1]).toBe('2');

    expect((await cli(['usage', '--json', '--csv'])).code).toBe(1);
  });

  it('teams update changes only the limits named; --clear-limits removes them; keys revoke refuses the key at once', async () => {
    const up = await cli(['teams', 'update', 'search', '--tpm', '5000', '--name', 'search-eu']);
    expect(up.code).toBe(0);
    expect(tableRow(up.stdout, teamId)).toEqual([teamId, 'search-eu', 'budget $1000/month, rpm 600, tpm 5000', expect.any(String)]);
    expect((await adminCall(t.gw.url, 'GET', `/admin/teams/${teamId}`)).json.limits).toEqual({ budget_usd: { amount: 1000, period: 'month' }, rpm: 600, tpm: 5000 });
    expect((await cli(['teams', 'update', teamId, '--clear-limits'])).code).toBe(0);
    expect((await adminCall(t.gw.url, 'GET', `/admin/teams/${teamId}`)).json.limits).toBeNull();
    const nothing = await cli(['teams', 'update', teamId]);
    expect(nothing).toMatchObject({ code: 1, stdout: '' });
    expect(nothing.stderr).toContain('nothing to change');

    const keyId = (await adminCall(t.gw.url, 'GET', `/admin/keys?team_id=${teamId}`)).json.data[0].id;
    const revoked = await cli(['keys', 'revoke', keyId]);
    expect(revoked.code).toBe(0);
    expect(tableRow(revoked.stdout, keyId)).toContain('revoked');
    expect((await chat(t.gw.url, key, ask)).status).toBe(401);
  });

  it('prompts publish FILE, prompts list, models [search]', async () => {
    const file = join(files.dir, 'greet.md');
    writeFileSync(file, '---\nname: cli-greet\nversion: "1.0"\nmodel: mock/echo\ninput:\n  type: object\n  properties:\n    who: { type: string }\n---\nHello {{ who }}\n');
    const pub = await cli(['prompts', 'publish', file]);
    expect(pub).toMatchObject({ code: 0, stdout: 'published cli-greet@1.0 (model mock/echo)\n' });
    expect((await cli(['prompts', 'publish', file])).stdout).toContain('nothing changed');
    writeFileSync(file, '---\nname: cli-greet\nversion: "1.0"\nmodel: mock/echo\n---\nBye\n');
    const conflict = await cli(['prompts', 'publish', file]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^tollgate: Prompt 'cli-greet' version 1\.0 already exists with other content.*\(HTTP 409\)\n$/);
    const list = await cli(['prompts', 'list']);
    expect(tableRow(list.stdout, 'cli-greet')).toEqual(['cli-greet', '1.0', '1.0', 'mock/echo', 'all', '-']);

    const models = await cli(['models', 'ECHO']);
    expect(models).toMatchObject({ code: 0, stdout: 'MODEL      OWNED BY\nmock/echo  mock\n' });
    const json = JSON.parse((await cli(['models', '--json'])).stdout);
    expect(json.data.map((m: { id: string }) => m.id)).toEqual((await adminCall(t.gw.url, 'GET', '/v1/models')).json.data.map((m: { id: string }) => m.id));
  });

  it('never prints the admin key', () => {
    for (const r of t.runs) expect(r.stdout + r.stderr).not.toContain(ADMIN_KEY);
    expect(t.runs.length).toBeGreaterThan(15);
  });
});
