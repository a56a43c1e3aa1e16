import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import type { GatewayClient } from './http.js';
import { addLimitOptions, clientFor, describeLimits, limitsFrom, type LimitFlags } from './options.js';
import { json, table, when, write, type Column } from './output.js';

export interface Team {
  id: string;
  name: string;
  limits: Record<string, unknown> | null;
  created_at: string;
}

const columns: Column<Team>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => t.name },
  { header: 'LIMITS', value: (t) => describeLimits(t.limits) },
  { header: 'CREATED', value: (t) => when(t.created_at) },
];

/** A team id, or a team name → its id. Anything else is passed on as given (the API says 404, or it is the built-in `admin` team). */
export async function teamId(client: GatewayClient, ref: string): Promise<string> {
  const { data } = await client.json<{ data: Team[] }>('GET', '/admin/teams');
  return (data.find((t) => t.id === ref) ?? data.find((t) => t.name === ref))?.id ?? ref;
}

const show = (team: Team, o: { json?: boolean; quiet?: boolean }) => write(o.quiet ? `${team.id}\n` : o.json ? json(team) : table(columns, [team]));

export function teamsCommand(program: Command): void {
  const teams = program.command('teams').description('list, create and update teams (the unit usage and budgets are counted by)');

  teams
    .command('list')
    .description('list every team')
    .option('--json', 'print the API response ({"data": [team, …]}) as JSON')
    .addHelpText('after', '\nExample:\n  $ tollgate teams list\n  $ tollgate teams list --json | jq -r \'.data[].id\'')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const res = await clientFor(cmd).json<{ data: Team[] }>('GET', '/admin/teams');
      write(o.json ? json(res) : table(columns, res.data));
    });

  addLimitOptions(
    teams
      .command('create')
      .description('create a team, optionally with limits (a budget, rpm, …)')
      .argument('<name>', 'the team name (unique)'),
  )
    .option('--json', 'print the created team as JSON')
    .option('-q, --quiet', 'print only the new team id')
    .addHelpText('after', '\nExamples:\n  $ tollgate teams create search\n  $ tollgate teams create search --budget-usd 25 --budget-period month --rpm 600\n  $ TEAM=$(tollgate teams create search -q)')
    .action(async (name: string, o: LimitFlags & { json?: boolean; quiet?: boolean }, cmd: Command) => {
      const limits = limitsFrom(o);
      const team = await clientFor(cmd).json<Team>('POST', '/admin/teams', { name, ...(limits !== undefined && { limits }) });
      show(team, o);
    });

  addLimitOptions(
    teams
      .command('update')
      .description(
        "rename a team or change its limits. Limit flags change only the limits named (the team's other limits stay); --limits replaces them all; --clear-limits removes them",
      )
      .argument('<team>', 'team id or name'),
  )
    .option('--name <name>', 'the new name')
    .option('--clear-limits', 'remove every limit of the team')
    .option('--json', 'print the updated team as JSON')
    .addHelpText('after', '\nExamples:\n  $ tollgate teams update search --rpm 1200            # the budget stays\n  $ tollgate teams update team_abc --name search-eu\n  $ tollgate teams update search --clear-limits')
    .action(async (ref: string, o: LimitFlags & { name?: string; clearLimits?: boolean; json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const id = encodeURIComponent(await teamId(client, ref));
      const given = limitsFrom(o);
      if (o.clearLimits && given !== undefined) throw new CliError('--clear-limits removes every limit: give it without limit flags');
      const body: Record<string, unknown> = {};
      if (o.name !== undefined) body.name = o.name;
      if (o.clearLimits) body.limits = null;
      else if (o.limits !== undefined) body.limits = given;
      else if (given) {
        // The API replaces the whole limits object: merge the flags into the team's current limits.
        const current = await client.json<Team>('GET', `/admin/teams/${id}`);
        body.limits = { ...(current.limits ?? {}), ...given };
      }
      if (!Object.keys(body).length) throw new CliError('nothing to change: give --name, limit flags (--rpm, --budget-usd, …), --limits or --clear-limits');
      const team = await client.json<Team>('PATCH', `/admin/teams/${id}`, body);
      show(team, o);
    });
}
