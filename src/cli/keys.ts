import type { Command } from 'commander';
import { addLimitOptions, clientFor, describeLimits, limitsFrom, type LimitFlags } from './options.js';
import { json, table, when, write, type Column } from './output.js';
import { teamId } from './teams.js';

interface Key {
  id: string;
  team_id: string;
  name: string;
  prefix: string;
  allowed_models: string[] | null;
  limits: Record<string, unknown> | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

const status = (k: Key) => (k.revoked_at ? 'revoked' : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? 'expired' : 'active');

const columns: Column<Key>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'PREFIX', value: (k) => k.prefix },
  { header: 'TEAM', value: (k) => k.team_id },
  { header: 'NAME', value: (k) => k.name },
  { header: 'STATUS', value: status },
  { header: 'MODELS', value: (k) => k.allowed_models?.join(',') || 'all' },
  { header: 'LIMITS', value: (k) => describeLimits(k.limits) },
  { header: 'EXPIRES', value: (k) => when(k.expires_at) },
  { header: 'CREATED', value: (k) => when(k.created_at) },
];

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function keysCommand(program: Command): void {
  const keys = program.command('keys').description("create, list and revoke a team's API keys");

  addLimitOptions(
    keys
      .command('create')
      .description('create an API key for a team; the key is printed once and never shown again (only its hash is stored)')
      .requiredOption('--team <team>', 'team id or name'),
  )
    .option('--name <name>', 'a name for the key (default "key")')
    .option('--allow-model <model>', 'a model the key may call (repeat or comma-separate; a trailing * matches a prefix); default: all', collect)
    .option('--expires-at <time>', 'ISO 8601 date-time after which the key is refused')
    .option('--json', 'print the API response as JSON (the key included)')
    .option('-q, --quiet', 'print only the key')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tollgate keys create --team search --name ci\n  $ tollgate keys create --team search --allow-model "openai/*" --rpm 60 --expires-at 2027-01-01T00:00:00Z\n  $ KEY=$(tollgate keys create --team search -q)',
    )
    .action(async (o: LimitFlags & { team: string; name?: string; allowModel?: string[]; expiresAt?: string; json?: boolean; quiet?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const limits = limitsFrom(o);
      const body = {
        team_id: await teamId(client, o.team),
        ...(o.name !== undefined && { name: o.name }),
        ...(o.allowModel && { allowed_models: o.allowModel }),
        ...(o.expiresAt !== undefined && { expires_at: o.expiresAt }),
        ...(limits !== undefined && { limits }),
      };
      const created = await client.json<Key & { key: string }>('POST', '/admin/keys', body);
      if (o.quiet) return write(`${created.key}\n`);
      if (o.json) return write(json(created));
      const { key, ...shown } = created;
      write(`${table(columns, [shown])}\nThe key (shown once, store it now):\n\n  ${key}\n`);
    });

  keys
    .command('list')
    .description('list keys, newest first (the keys themselves are never shown, only their prefix)')
    .option('--team <team>', 'only this team (id or name)')
    .option('--json', 'print the API response ({"data": [key, …]}) as JSON')
    .addHelpText('after', '\nExamples:\n  $ tollgate keys list\n  $ tollgate keys list --team search')
    .action(async (o: { team?: string; json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const q = o.team ? `?team_id=${encodeURIComponent(await teamId(client, o.team))}` : '';
      const res = await client.json<{ data: Key[] }>('GET', `/admin/keys${q}`);
      write(o.json ? json(res) : table(columns, res.data));
    });

  keys
    .command('revoke')
    .description('revoke a key: refused from the next request on, on every instance')
    .argument('<id>', 'the key id (key_…; see keys list)')
    .option('--json', 'print the revoked key as JSON')
    .addHelpText('after', '\nExample:\n  $ tollgate keys revoke key_AbC123')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const key = await clientFor(cmd).json<Key>('DELETE', `/admin/keys/${encodeURIComponent(id)}`);
      write(o.json ? json(key) : table(columns, [key]));
    });
}
