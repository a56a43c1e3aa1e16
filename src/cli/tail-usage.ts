import { CliError } from './cli-error.js';
import { query, type GatewayClient } from './http.js';
import { usd, when } from './output.js';
import type { TailOptions } from './requests.js';
import { pollForever } from './poll.js';
import { LiveColumns } from './tail-view.js';

interface Row {
  [group: string]: string | number | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
}

/**
 * `requests tail` on a gateway without `GET /admin/requests`: polls `GET /admin/usage` (from a
 * fixed start an hour back, so counts only grow) and prints what each group gained since the
 * last poll. Per team; per model with --team or --model; per key with --key.
 */
export async function tailUsage(client: GatewayClient, o: TailOptions): Promise<void> {
  if (o.status !== undefined) throw new CliError('--status needs GET /admin/requests, which this gateway does not have');
  const groupBy = o.key ? 'key' : o.team || o.model ? 'model' : 'team';
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const path = `/admin/usage${query({ group_by: groupBy, team_id: o.team, from })}`;
  const wanted = (v: string) => (o.key ? v === o.key : o.model ? o.model === v || o.model.endsWith(`/${v}`) : true);
  const poll = async () => {
    const { data } = await client.json<{ data: Row[] }>('GET', path);
    return new Map(data.filter((r) => typeof r[groupBy] === 'string' && wanted(r[groupBy] as string)).map((r) => [r[groupBy] as string, r]));
  };
  const view = new LiveColumns([
    ['TIME (UTC)', 19],
    [groupBy.toUpperCase(), groupBy === 'model' ? 20 : 17],
    ['REQUESTS', 8],
    ['TOKENS IN/OUT', 13],
    ['COST USD', 0],
  ]);
  // The baseline first: what happened before the header is not "new".
  let last = await poll();
  process.stderr.write(`tollgate: GET /admin/requests is not available on this gateway: showing new usage per ${groupBy} every ${o.interval} s (GET /admin/usage)\n`);
  if (!o.json) process.stdout.write(view.header());
  await pollForever(o.interval, async () => {
    const now = await poll();
    const time = new Date().toISOString();
    for (const [group, r] of now) {
      const before = last.get(group);
      const d = {
        requests: r.requests - (before?.requests ?? 0),
        input_tokens: r.input_tokens - (before?.input_tokens ?? 0),
        output_tokens: r.output_tokens - (before?.output_tokens ?? 0),
        cost_micros: r.cost_micros - (before?.cost_micros ?? 0),
      };
      if (d.requests <= 0) continue;
      process.stdout.write(
        o.json
          ? JSON.stringify({ time, [groupBy]: group, ...d, cost_usd: d.cost_micros / 1e6 }) + '\n'
          : view.line([when(time), group, `+${d.requests}`, `+${d.input_tokens}/+${d.output_tokens}`, usd(d.cost_micros)]),
      );
    }
    last = now;
  });
}
