import { Option, type Command } from 'commander';
import { clientFor } from './options.js';
import { json, table, usd, write, type Column } from './output.js';
import { query, type GatewayClient } from './http.js';
import { teamId } from './teams.js';

const GROUP_BY = ['team', 'key', 'model', 'provider', 'day', 'prompt', 'route'];

type Row = Record<string, string | number | null> & { requests: number; input_tokens: number; output_tokens: number; cost_usd: number; cost_nanos: number };
interface Report {
  data: Row[];
  total: Row;
}

interface UsageOptions {
  groupBy: string;
  from?: string;
  to?: string;
  team?: string;
  json?: boolean;
  csv?: boolean;
}

/** Names beside ids (team and key groupings), so the table reads without a second lookup. */
async function names(client: GatewayClient, groupBy: string): Promise<Map<string, string> | undefined> {
  if (groupBy !== 'team' && groupBy !== 'key') return undefined;
  const { data } = await client.json<{ data: { id: string; name: string }[] }>('GET', groupBy === 'team' ? '/admin/teams' : '/admin/keys');
  return new Map(data.map((x) => [x.id, x.name]));
}

export function usageCommand(program: Command): void {
  program
    .command('usage')
    .description('usage and cost from the ledger, grouped by team, key, model, provider, day, prompt or route')
    .addOption(new Option('--group-by <field>', 'what one row is').choices(GROUP_BY).default('team'))
    .option('--from <date>', 'start, inclusive: ISO date or date-time (UTC unless a zone is given)')
    .option('--to <date>', 'end, exclusive; a bare date includes that whole day')
    .option('--team <team>', 'only this team (id or name)')
    .addOption(new Option('--json', 'print the API response ({"data": [...], "total": {...}}) as JSON').conflicts('csv'))
    .option('--csv', "print CSV (the gateway's GET /admin/usage.csv)")
    .addHelpText(
      'after',
      '\nThe table has one row per group and a total; costs are exact (integer nano-dollars, 6 to 9 decimals).\n\nExamples:\n  $ tollgate usage --group-by team --from 2026-12-01 --to 2026-12-31\n  $ tollgate usage --group-by model --team search --json\n  $ tollgate usage --group-by day --csv > usage.csv',
    )
    .action(async (o: UsageOptions, cmd: Command) => {
      const client = clientFor(cmd);
      const q = query({ group_by: o.groupBy, from: o.from, to: o.to, team_id: o.team ? await teamId(client, o.team) : undefined });
      if (o.csv) return write(await client.text(`/admin/usage.csv${q}`));
      const report = await client.json<Report>('GET', `/admin/usage${q}`);
      if (o.json) return write(json(report));
      const named = await names(client, o.groupBy);
      const g = o.groupBy;
      const columns: Column<Row>[] = [
        { header: g.toUpperCase(), value: (r) => r[g] },
        ...(named ? [{ header: 'NAME', value: (r: Row) => (typeof r[g] === 'string' ? named.get(r[g]) : undefined) }] : []),
        { header: 'REQUESTS', value: (r) => r.requests, right: true },
        { header: 'INPUT TOKENS', value: (r) => r.input_tokens, right: true },
        { header: 'OUTPUT TOKENS', value: (r) => r.output_tokens, right: true },
        { header: 'COST USD', value: (r) => usd(r.cost_nanos, r.cost_usd), right: true },
      ];
      write(table(columns, report.data, { ...report.total, [g]: 'TOTAL' } as Row));
    });
}
