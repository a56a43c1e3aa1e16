import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { ADMIN_KEY, adminCall } from '../helpers/instance.js';
import { cliAgainstGateway, closedPort } from './cli-helpers.js';

describe('tollgate CLI (built binary): errors, hostile input, help', () => {
  const t = cliAgainstGateway();
  const cli = t.cli;
  let teamId: string;
  beforeAll(async () => {
    teamId = (await adminCall(t.gw.url, 'POST', '/admin/teams', { name: 'search-eu' })).json.id;
  });

  it('a wrong admin key: the API message on stderr, exit 1, no stack, the key never printed', async () => {
    // A team key is a key, but not the admin key: 403 with the API's words.
    const teamKey = (await adminCall(t.gw.url, 'POST', '/admin/keys', { team_id: teamId })).json.key;
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
    expect((await adminCall(t.gw.url, 'GET', '/admin/teams')).json.data.map((x: { name: string }) => x.name)).not.toContain('x');

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
    const created = (await adminCall(t.gw.url, 'POST', '/admin/teams', { name: evil })).json;
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
    for (const r of t.runs) expect(r.stdout + r.stderr).not.toContain(ADMIN_KEY);
    expect(t.runs.length).toBeGreaterThan(20);
  });
});
