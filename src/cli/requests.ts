import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { query, type GatewayClient } from './http.js';
import { clientFor, intArg, secondsArg } from './options.js';
import { pollForever } from './poll.js';
import { LiveColumns, recordId, recordTime, requestCells, REQUEST_HEADERS, type RequestRecord } from './tail-view.js';
import { teamId } from './teams.js';

export interface TailOptions {
  team?: string;
  key?: string;
  model?: string;
  status?: number;
  interval: number;
  limit: number;
  json?: boolean;
}

export function requestsCommand(program: Command): void {
  const requests = program.command('requests').description('recent requests through the gateway');
  requests
    .command('tail')
    .description(
      'follow requests as they happen (like tail -f): the newest --limit first, then every new one, polled every --interval seconds until Ctrl-C. Reads the usage ledger (GET /admin/usage/records): every request, with its tokens, cost and latency',
    )
    .option('--team <team>', 'only this team (id or name)')
    .option('--key <id>', 'only this key id')
    .option('--model <model>', 'only this model')
    .option('--status <code>', 'only this HTTP status', intArg)
    .option('--interval <seconds>', 'seconds between polls', secondsArg, 2)
    .option('--limit <n>', 'how many recent requests to show first (at most 500; 0: only new ones)', intArg, 20)
    .option('--json', 'one JSON object per line (the records as the API returns them)')
    .addHelpText('after', '\nExamples:\n  $ tollgate requests tail\n  $ tollgate requests tail --team search --status 429\n  $ tollgate requests tail --json | jq .model')
    .action(async (o: TailOptions, cmd: Command) => {
      if (o.limit > 500) throw new CliError('--limit must be at most 500');
      const client = clientFor(cmd);
      const team = o.team ? await teamId(client, o.team) : undefined;
      await tail(client, { ...o, ...(team && { team }) });
    });
}

async function tail(client: GatewayClient, o: TailOptions): Promise<void> {
  const filters = { team_id: o.team, key_id: o.key, model: o.model, status: o.status };
  // --limit 0: only what comes next (the newest record is still read, as the point to follow from).
  const first = await client.probe(`${RECORDS}${query({ ...filters, limit: Math.max(1, o.limit) })}`);
  if (first.error) throw first.error;

  const view = new LiveColumns(REQUEST_HEADERS);
  if (!o.json) process.stdout.write(view.header());
  const seen = new Set<string>();
  let since: string | undefined;
  const show = (data: RequestRecord[], print = true) => {
    // Newest first from the API; printed oldest first, each record once.
    for (const r of [...data].reverse()) {
      const id = recordId(r);
      if (id !== undefined) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      const t = isoTime(recordTime(r));
      if (t && (!since || t > since)) since = t;
      if (print) process.stdout.write(o.json ? JSON.stringify(r) + '\n' : view.line(requestCells(r)));
    }
    if (seen.size > 10_000) for (const id of [...seen].slice(0, 5_000)) seen.delete(id);
  };
  show(records(first.json), o.limit > 0);
  await pollForever(o.interval, async () => show(records(await client.json('GET', `${RECORDS}${query({ ...filters, from: since, limit: 500 })}`))));
}

/** The usage ledger's records, newest first (docs/admin-api.md "Console reads"). */
const RECORDS = '/admin/usage/records';

function records(body: unknown): RequestRecord[] {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) throw new CliError(`unexpected answer from GET ${RECORDS}: no "data" list`);
  return data.filter((r): r is RequestRecord => typeof r === 'object' && r !== null);
}

function isoTime(v: unknown): string | undefined {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
