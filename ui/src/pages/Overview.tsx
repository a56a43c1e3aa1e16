import { useMemo, useState } from 'preact/hooks';
import { SpendChart, type ChartSeries } from '../components/SpendChart';
import { Empty, ErrorNote, Link, Loading, PageHeader, Stat, TableWrap } from '../components/ui';
import { daysAgo, int, ms, percent, usd } from '../format';
import { useApi, useTitle } from '../hooks';
import type { Scope, Team, UsageReport } from '../scope';

interface Summary {
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

type Grain = 'day' | 'week' | 'month';

/** Every bucket from `from` to `to` (inclusive), so quiet days show as gaps, not as missing bars. */
export function bucketsBetween(grain: Grain, from: string, to: string): string[] {
  const out: string[] = [];
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  if (!(start <= end)) return out;
  if (grain === 'month') {
    for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)); d <= end && out.length < 240; d.setUTCMonth(d.getUTCMonth() + 1)) out.push(d.toISOString().slice(0, 7));
    return out;
  }
  const d = new Date(start);
  if (grain === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); // back to Monday
  for (; d <= end && out.length < 800; d.setUTCDate(d.getUTCDate() + (grain === 'week' ? 7 : 1))) out.push(d.toISOString().slice(0, 10));
  return out;
}

const TOP = 7;

export function Overview({ scope }: { scope: Scope }) {
  useTitle('Overview');
  const [from, setFrom] = useState(daysAgo(29));
  const [to, setTo] = useState(daysAgo(0));
  const [grain, setGrain] = useState<Grain>('day');
  const [stack, setStack] = useState<'team' | 'model'>(scope.admin ? 'team' : 'model');
  const range = { from, to };

  const summary = useApi<Summary>(scope.summary(range));
  const series = useApi<UsageReport>(scope.usage({ ...range, group_by: grain, split_by: stack }));
  const models = useApi<UsageReport>(scope.usage({ ...range, group_by: 'model' }));
  const teamsReport = useApi<UsageReport>(scope.admin ? scope.usage({ ...range, group_by: 'team' }) : null);
  const teams = useApi<{ data: Team[] }>(scope.admin ? '/admin/teams' : null);
  const teamName = (id: string | null) => (id === null ? '(none)' : (teams.data?.data.find((t) => t.id === id)?.name ?? id));

  const chart = useMemo(() => {
    const rows = series.data?.data ?? [];
    const buckets = bucketsBetween(grain, from, to);
    for (const r of rows) if (!buckets.includes(String(r[grain]))) buckets.push(String(r[grain]));
    buckets.sort();
    const totals = new Map<string, bigint>();
    for (const r of rows) totals.set(String(r[stack]), (totals.get(String(r[stack])) ?? 0n) + BigInt(r.cost_nanos));
    const names = [...totals.keys()].sort((a, b) => (totals.get(b)! > totals.get(a)! ? 1 : totals.get(b)! < totals.get(a)! ? -1 : a.localeCompare(b)));
    const kept = names.slice(0, names.length > TOP + 1 ? TOP : TOP + 1);
    const index = new Map(buckets.map((b, i) => [b, i]));
    const out: ChartSeries[] = kept.map((n) => ({ label: stack === 'team' ? teamName(n === 'null' ? null : n) : n, nanos: buckets.map(() => 0) }));
    const other: ChartSeries = { label: 'other', nanos: buckets.map(() => 0) };
    for (const r of rows) {
      const k = kept.indexOf(String(r[stack]));
      const target = k >= 0 ? out[k]! : other;
      target.nanos[index.get(String(r[grain]))!]! += r.cost_nanos;
    }
    if (names.length > kept.length) out.push(other);
    return { buckets, series: out };
  }, [series.data, grain, stack, from, to, teams.data]);

  const s = summary.data;
  const topModels = [...(models.data?.data ?? [])].sort((a, b) => b.cost_nanos - a.cost_nanos || b.requests - a.requests).slice(0, 5);
  const topTeams = [...(teamsReport.data?.data ?? [])].sort((a, b) => b.cost_nanos - a.cost_nanos || b.requests - a.requests).slice(0, 5);

  return (
    <>
      <PageHeader title="Overview" />
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Range">
        <div class="field">
          <label for="ov-from">From</label>
          <input id="ov-from" type="date" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value || daysAgo(29))} />
        </div>
        <div class="field">
          <label for="ov-to">To (inclusive)</label>
          <input id="ov-to" type="date" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value || daysAgo(0))} />
        </div>
        <div class="field">
          <label for="ov-grain">Per</label>
          <select id="ov-grain" value={grain} onChange={(e) => setGrain(e.currentTarget.value as Grain)}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </div>
        <div class="field">
          <label for="ov-stack">Stacked by</label>
          <select id="ov-stack" value={stack} onChange={(e) => setStack(e.currentTarget.value as 'team' | 'model')}>
            {scope.admin && <option value="team">team</option>}
            <option value="model">model</option>
          </select>
        </div>
      </form>
      <ErrorNote error={summary.error ?? series.error} what="Could not load the overview" />
      {!s && summary.loading && <Loading />}
      {s && (
        <section class="stats" aria-label="Totals for the range">
          <Stat label="Spend" value={usd(s.cost_nanos)} testid="overview-spend" hint="exact, from the ledger" />
          <Stat label="Requests" value={int(s.requests)} testid="overview-requests" />
          <Stat label="Tokens" value={int(s.input_tokens + s.output_tokens)} hint={`${int(s.input_tokens)} in · ${int(s.output_tokens)} out`} />
          <Stat label="Error rate" value={percent(s.errors, s.requests)} hint={`${int(s.errors)} failed`} testid="overview-errors" />
          <Stat label="Latency p50 / p95" value={`${ms(s.latency_p50_ms)} / ${ms(s.latency_p95_ms)}`} />
        </section>
      )}
      {s && s.requests === 0 ? (
        <Empty title="No requests in this range yet.">
          {scope.admin ? (
            <p>
              Create a team and a key on the <Link to="/teams">Teams</Link> and <Link to="/keys">Keys</Link> pages, then send a request to <code>/v1/chat/completions</code> with that key
              (try the model <code>mock/echo</code>). Spend appears here as soon as the call ends.
            </p>
          ) : (
            <p>
              Send a request to <code>/v1/chat/completions</code> with this team's key, or run a prompt from the <Link to="/prompts">Prompts</Link> page.
            </p>
          )}
        </Empty>
      ) : (
        s && (
          <>
            <section aria-labelledby="chart-title">
              <h2 id="chart-title">Spend per {grain}, by {stack}</h2>
              <SpendChart buckets={chart.buckets} series={chart.series} label={`Spend per ${grain} from ${from} to ${to}, stacked by ${stack}`} />
            </section>
            <div class="columns">
              <section aria-labelledby="top-models">
                <h2 id="top-models">Top models</h2>
                <TopTable rows={topModels.map((r) => ({ name: String(r.model ?? '(none)'), ...r }))} label="Top models by spend" />
              </section>
              {scope.admin && (
                <section aria-labelledby="top-teams">
                  <h2 id="top-teams">Top teams</h2>
                  <TopTable rows={topTeams.map((r) => ({ name: teamName(r.team as string | null), ...r }))} label="Top teams by spend" />
                </section>
              )}
            </div>
          </>
        )
      )}
    </>
  );
}

function TopTable({ rows, label }: { rows: Array<{ name: string; requests: number; cost_nanos: number; input_tokens: number; output_tokens: number }>; label: string }) {
  return (
    <TableWrap label={label}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" class="num">Requests</th>
          <th scope="col" class="num">Tokens</th>
          <th scope="col" class="num">Spend</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <td>{r.name}</td>
            <td class="num">{int(r.requests)}</td>
            <td class="num">{int(r.input_tokens + r.output_tokens)}</td>
            <td class="num">{usd(r.cost_nanos)}</td>
          </tr>
        ))}
      </tbody>
    </TableWrap>
  );
}
