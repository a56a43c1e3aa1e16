import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { formatUsd } from '../../src/metering/money.js';
import { ADMIN_KEY, adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { buildCli, closedPort, runCli, tableRow, type CliRun } from './cli-helpers.js';

// mock/echo priced so costs are not zero: 1000 µ$ per input token, 2000 µ$ per output token.
const YAML = 'providers:\n  mock: { type: mock }\npricing:\n  mock/echo: { input_per_mtok_usd: 1000, output_per_mtok_usd: 2000 }\n';
const ask = { model: 'mock/echo', messages: [{ role: 'user', content: 'one two three' }] };

async function chat(url: string, key: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('tollgate CLI (built binary) against a running gateway', () => {
  let gw: Instance;
  let tmp: ReturnType<typeof tempDir>;
  let build: ReturnType<typeof buildCli>;
  const runs: CliRun[] = [];
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const r = await runCli(build.bin, args, { TOLLGATE_URL: gw.url, TOLLGATE_ADMIN_KEY: ADMIN_KEY, ...env });
    runs.push(r);
    return r;
  };

  beforeAll(async () => {
    build = buildCli();
    tmp = tempDir();
    gw = await startInstance(YAML, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
  });
  afterAll(async () => {
    await gw?.close(1000);
    tmp?.remove();
    build?.remove();
  });

  let teamId: string;
  let key: string;

  it('teams create → keys create (the key printed once) → /v1 calls → usage table with the right count and cost', async () => {
    // A budget that admits a call's worst case (mock/echo's output cap × its price).
    const team = await cli(['teams', 'create', 'search', '--budget-usd', '1000', '--rpm', '600', '-q']);
    expect(team).toMatchObject({ code: 0, stderr: '' });
    teamId = team.stdout.trim();
    expect(teamId).toMatch(/^team_/);
    expect((await adminCall(gw.url, 'GET', `/admin/teams/${teamId}`)).json).toMatchObject({ name: 'search', limits: { budget_usd: { amount: 1000, period: 'month' }, rpm: 600 } });

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
    expect(tableRow(listed.stdout, (await adminCall(gw.url, 'GET', '/admin/keys')).json.data[0].id)).toEqual(expect.arrayContaining([key.slice(0, 11), teamId, 'ci', 'active', 'mock/*']));

    const a = await chat(gw.url, key, ask);
    const b = await chat(gw.url, key, ask);
    expect([a.status, b.status]).toEqual([200, 200]);
    const input = a.json.usage.prompt_tokens + b.json.usage.prompt_tokens;
    const output = a.json.usage.completion_tokens + b.json.usage.completion_tokens;

    const usage = await cli(['usage', '--group-by', 'team']);
    expect(usage).toMatchObject({ code: 0, stderr: '' });
    const lines = usage.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TEAM\s+NAME\s+REQUESTS\s+INPUT TOKENS\s+OUTPUT TOKENS\s+COST USD$/);
    // Aligned: every line of the table is as wide as its widest (right-aligned numbers end together).
    expect(new Set(lines.filter((l) => !l.startsWith('TOTAL')).map((l) => l.length)).size).toBe(1);
    expect(tableRow(usage.stdout, teamId)).toEqual([teamId, 'search', '2', String(input), String(output), formatUsd(input * 1000 + output * 2000)]);
    expect(tableRow(usage.stdout, 'TOTAL')).toEqual(['TOTAL', '2', String(input), String(output), formatUsd(input * 1000 + output * 2000)]);
  });

  it('usage --json and --csv are what GET /admin/usage and /admin/usage.csv answer', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const json = await cli(['usage', '--group-by', 'model', '--from', today, '--to', today, '--team', 'search', '--json']);
    expect(json.code).toBe(0);
    const api = await adminCall(gw.url, 'GET', `/admin/usage?group_by=model&from=${today}&to=${today}&team_id=${teamId}`);
    expect(JSON.parse(json.stdout)).toEqual(api.json);
    expect(api.json.data).toEqual([expect.objectContaining({ model: 'echo', requests: 2 })]);

    const csv = await cli(['usage', '--group-by', 'team', '--csv']);
    expect(csv.code).toBe(0);
    const apiCsv = await fetch(`${gw.url}/admin/usage.csv?group_by=team`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
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
    expect((await adminCall(gw.url, 'GET', `/admin/teams/${teamId}`)).json.limits).toEqual({ budget_usd: { amount: 1000, period: 'month' }, rpm: 600, tpm: 5000 });
    expect((await cli(['teams', 'update', teamId, '--clear-limits'])).code).toBe(0);
    expect((await adminCall(gw.url, 'GET', `/admin/teams/${teamId}`)).json.limits).toBeNull();
    const nothing = await cli(['teams', 'update', teamId]);
    expect(nothing).toMatchObject({ code: 1, stdout: '' });
    expect(nothing.stderr).toContain('nothing to change');

    const keyId = (await adminCall(gw.url, 'GET', `/admin/keys?team_id=${teamId}`)).json.data[0].id;
    const revoked = await cli(['keys', 'revoke', keyId]);
    expect(revoked.code).toBe(0);
    expect(tableRow(revoked.stdout, keyId)).toContain('revoked');
    expect((await chat(gw.url, key, ask)).status).toBe(401);
  });

  it('prompts publish FILE, prompts list, models [search]', async () => {
    const file = join(tmp.dir, 'greet.md');
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
    expect(json.data.map((m: { id: string }) => m.id)).toEqual((await adminCall(gw.url, 'GET', '/v1/models')).json.data.map((m: { id: string }) => m.id));
  });

  it('a wrong admin key: the API message on stderr, exit 1, no stack, the key never printed', async () => {
    // A team key is a key, but not the admin key: 403 with the API's words.
    const teamKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamId })).json.key;
    const [wrong, forbidden, none] = await Promise.all([
      cli(['teams', 'list'], { TOLLGATE_ADMIN_KEY: 'tg_wrong_admin_key_99999' }),
      cli(['usage', '--admin-key', teamKey]),
      cli(['keys', 'list'], { TOLLGATE_ADMIN_KEY: '' }),
    ]);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toBe('tollgate: Invalid API key. (HTTP 401) — check the admin key (--admin-key or TOLLGATE_ADMIN_KEY)\n');
    expect(forbidden).toMatchObject({ code: 1, stdout: '' });
    expect(forbidden.stderr).toMatch(/^tollgate: The admin API needs the admin key.*\(HTTP 403\)/);
    expect(forbidden.stderr).not.toContain(teamKey);
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toContain('no admin key given');
  });

  it('an unreachable gateway, a malformed URL, an API error envelope: one clear line each, exit 1', async () => {
    const port = await closedPort();
    const badUrls = ['not a url', 'ftp://127.0.0.1:8787', '127.0.0.1:8787'];
    const [down, envelope, dup, ...bad] = await Promise.all([
      cli(['teams', 'list', '--url', `http://127.0.0.1:${port}`]),
      cli(['usage', '--from', 'yesterday']),
      cli(['teams', 'create', 'search-eu']),
      ...badUrls.map((url) => cli(['usage'], { TOLLGATE_URL: url })),
    ]);
    expect(down).toMatchObject({ code: 1, stdout: '' });
    expect(down.stderr).toBe(`tollgate: cannot reach the gateway at http://127.0.0.1:${port}: connection refused (is the gateway running there? check --url or TOLLGATE_URL)\n`);
    for (const [i, r] of bad.entries()) {
      expect(r, badUrls[i]).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr, badUrls[i]).toMatch(/^tollgate: invalid gateway URL ".*": .*\n$/);
    }
    expect(envelope).toMatchObject({ code: 1, stdout: '' });
    expect(envelope.stderr).toBe('tollgate: from must be an ISO 8601 date or date-time (got "yesterday"). (param: from) (HTTP 400)\n');
    expect(dup).toMatchObject({ code: 1, stdout: '' });
    expect(dup.stderr).toBe('tollgate: A team named "search-eu" already exists. (param: name) (HTTP 409)\n');

    // Hostile numbers are refused before anything is sent.
    const refused = await Promise.all(
      [
        ['teams', 'create', 'x', '--rpm', '1e309'],
        ['teams', 'create', 'x', '--rpm', '1.5'],
        ['teams', 'create', 'x', '--budget-usd', '-5'],
        ['teams', 'create', 'x', '--budget-usd', 'NaN'],
        ['teams', 'create', 'x', '--tokens', '99999999999999999999'],
        ['requests', 'tail', '--interval', '0'],
        ['usage', '--timeout', 'Infinity'],
      ].map((args) => cli(args)),
    );
    for (const r of refused) expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(refused[0]!.stderr).toContain("option '--rpm <n>' argument '1e309' is invalid");
    expect((await adminCall(gw.url, 'GET', '/admin/teams')).json.data.map((t: { name: string }) => t.name)).not.toContain('x');

    // A server that accepts the connection and never answers: --timeout bounds the wait.
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const slow = await cli(['teams', 'list', '--timeout', '0.3', '--url', `http://127.0.0.1:${(silent.address() as AddressInfo).port}`]);
    silent.close();
    expect(slow).toMatchObject({ code: 1, stdout: '' });
    expect(slow.stderr).toMatch(/^tollgate: no answer from the gateway at http:\/\/127\.0\.0\.1:\d+ within 0\.3 s \(--timeout\)\n$/);
  });

  it('names a client chose cannot break the table or write escape sequences to the terminal', async () => {
    const evil = 'evil\u001b]0;pwned\u0007\nsecond line\u001b[31m';
    const created = (await adminCall(gw.url, 'POST', '/admin/teams', { name: evil })).json;
    const list = await cli(['teams', 'list']);
    expect(list.stdout).not.toMatch(/[\u001b\u0007]/);
    const row = list.stdout.split('\n').find((l) => l.startsWith(created.id))!;
    expect(row).toContain('evil ]0;pwned  second line [31m');
    // --json keeps the name exactly (JSON escapes it).
    expect(JSON.parse((await cli(['teams', 'list', '--json'])).stdout).data.find((t: { id: string }) => t.id === created.id).name).toBe(evil);
  });

  it('--help on a subcommand: its options and examples on stdout, exit 0', async () => {
    const [usage, create] = await Promise.all([cli(['usage', '--help']), cli(['keys', 'create', '--help'])]);
    expect(usage).toMatchObject({ code: 0, stderr: '' });
    expect(usage.stdout).toMatch(/^Usage: tollgate usage \[options\]\n/);
    expect(usage.stdout).toContain('--group-by <field>');
    expect(usage.stdout).toContain('$ tollgate usage --group-by team --from 2026-12-01 --to 2026-12-31');
    expect(create).toMatchObject({ code: 0, stderr: '' });
    expect(create.stdout).toContain('--allow-model <model>');
    const unknown = await cli(['teams', 'lst']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain("unknown command 'lst'");
  });

  it('every command has a description and its help shows examples', () => {
    const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
    const commands = all(buildProgram()).filter((c) => c.name() !== 'help');
    expect(commands.map((c) => c.name())).toEqual(
      expect.arrayContaining(['teams', 'list', 'create', 'update', 'keys', 'revoke', 'usage', 'prompts', 'publish', 'models', 'requests', 'tail', 'config', 'check']),
    );
    for (const c of commands) {
      expect(c.description().length, c.name()).toBeGreaterThan(10);
      // Leaf commands (and the program) carry examples; the groups list their subcommands.
      if (c.commands.length && c.parent) continue;
      let help = '';
      c.configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
      c.outputHelp();
      expect(help, c.name()).toMatch(/Examples?:\n {2}\$ /);
    }
  });

  it('never prints the admin key, even when it is typed where a command belongs', async () => {
    const typo = await cli([ADMIN_KEY]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("unknown command '[redacted]'");
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(ADMIN_KEY);
    expect(runs.length).toBeGreaterThan(25);
  });
});
