import { useState } from 'preact/hooks';
import { Empty, ErrorNote, Loading, PageHeader, TableWrap } from '../components/ui';
import { csvCell, daysAgo, int, usd } from '../format';
import { useApi, useTitle } from '../hooks';
import type { Key, Scope, Team, UsageReport, UsageRow } from '../scope';

const GROUPS = ['team', 'key', 'model', 'provider', 'day', 'week', 'month', 'prompt', 'route'] as const;
type Group = (typeof GROUPS)[number];

interface Filters {
  group_by: Group;
  team_id: string;
  key_id: string;
  model: string;
  provider: string;
  from: string;
  to: string;
}

interface Column {
  label: string;
  text: (r: UsageRow) => string;
  numeric?: boolean;
  /** The CSV value when it differs from the text (numbers without separators or a $). */
  csv?: (r: UsageRow) => string;
}

/** Exact decimal text of integer nano-dollars, for the CSV (no $ or separators). */
const decimal = (nanos: number) => usd(nanos).replace(/[$,]/g, '');

/** Group by a dimension, filter, and download exactly the table shown as CSV. */
export function Usage({ scope }: { scope: Scope }) {
  useTitle('Usage');
  const initial: Filters = { group_by: scope.admin ? 'team' : 'model', team_id: '', key_id: '', model: '', provider: '', from: daysAgo(29), to: daysAgo(0) };
  const [draft, setDraft] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const teams = useApi<{ data: Team[] }>(scope.admin ? '/admin/teams' : null);
  const keys = useApi<{ data: Key[] }>(scope.admin ? '/admin/keys' : null);
  const report = useApi<UsageReport>(scope.usage({ ...applied }));

  const teamName = (id: string | null) => (id === null ? '(none)' : (teams.data?.data.find((t) => t.id === id)?.name ?? id));
  const keyPrefix = (id: string | null) => (id === null ? '(none)' : (keys.data?.data.find((k) => k.id === id)?.prefix ?? id));
  const g = applied.group_by;
  const value = (r: UsageRow) => (r[g] === null || r[g] === undefined ? '(none)' : String(r[g]));
  const columns: Column[] = [
    ...(g === 'team' && scope.admin
      ? [
          { label: 'Team', text: (r: UsageRow) => teamName(r.team as string | null) },
          { label: 'Team id', text: value },
        ]
      : g === 'key' && scope.admin
        ? [
            { label: 'Key', text: (r: UsageRow) => keyPrefix(r.key as string | null) },
            { label: 'Key id', text: value },
          ]
        : [{ label: g[0]!.toUpperCase() + g.slice(1), text: value }]),
    { label: 'Requests', text: (r) => int(r.requests), csv: (r) => String(r.requests), numeric: true },
    { label: 'Input tokens', text: (r) => int(r.input_tokens), csv: (r) => String(r.input_tokens), numeric: true },
    { label: 'Output tokens', text: (r) => int(r.output_tokens), csv: (r) => String(r.output_tokens), numeric: true },
    { label: 'Cost (USD)', text: (r) => usd(r.cost_nanos), csv: (r) => decimal(r.cost_nanos), numeric: true },
  ];
  const rows = report.data?.data ?? [];

  const download = () => {
    const lines = [columns.map((c) => csvCell(c.label)).join(',')];
    for (const r of rows) lines.push(columns.map((c) => (c.csv ? c.csv(r) : csvCell(c.text(r)))).join(','));
    const blob = new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `usage-by-${g}-${applied.from}-to-${applied.to}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const set = (k: keyof Filters) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <>
      <PageHeader title="Usage">
        <button type="button" class="btn" onClick={download} disabled={!rows.length}>
          Download CSV
        </button>
      </PageHeader>
      <form
        class="filters"
        aria-label="Usage filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
        }}
      >
        <div class="field">
          <label for="u-group">Group by</label>
          <select
            id="u-group"
            value={draft.group_by}
            onChange={(e) => {
              const next = { ...draft, group_by: e.currentTarget.value as Group };
              setDraft(next);
              setApplied(next);
            }}
          >
            {GROUPS.filter((x) => scope.admin || x !== 'team').map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </div>
        {scope.admin && (
          <div class="field">
            <label for="u-team">Team</label>
            <select id="u-team" value={draft.team_id} onChange={set('team_id')}>
              <option value="">All teams</option>
              {teams.data?.data.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="u-key">Key id</label>
          <input id="u-key" value={draft.key_id} onInput={set('key_id')} placeholder="key_…" autocomplete="off" />
        </div>
        <div class="field">
          <label for="u-model">Model</label>
          <input id="u-model" value={draft.model} onInput={set('model')} placeholder="e.g. gpt-4o" autocomplete="off" />
        </div>
        <div class="field">
          <label for="u-provider">Provider</label>
          <input id="u-provider" value={draft.provider} onInput={set('provider')} placeholder="e.g. openai" autocomplete="off" />
        </div>
        <div class="field">
          <label for="u-from">From</label>
          <input id="u-from" type="date" value={draft.from} onChange={set('from')} />
        </div>
        <div class="field">
          <label for="u-to">To (inclusive)</label>
          <input id="u-to" type="date" value={draft.to} onChange={set('to')} />
        </div>
        <div class="field field-button">
          <button type="submit" class="btn btn-primary">
            Show
          </button>
        </div>
      </form>
      <ErrorNote error={report.error} what="Could not load the usage" />
      {!report.data && report.loading && <Loading />}
      {report.data && rows.length === 0 && (
        <Empty title="Nothing matches these filters.">
          <p>Widen the dates or clear a filter. Usage appears once a request made with a key ends (prompts and proxied routes count too).</p>
        </Empty>
      )}
      {report.data && rows.length > 0 && (
        <TableWrap label={`Usage grouped by ${g}`}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.label} class={c.numeric ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody data-testid="usage-rows">
            {rows.map((r, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c.label} class={c.numeric ? 'num' : undefined}>
                    {c.text(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={columns.length - 4}>
                Total
              </th>
              <td class="num">{int(report.data.total.requests)}</td>
              <td class="num">{int(report.data.total.input_tokens)}</td>
              <td class="num">{int(report.data.total.output_tokens)}</td>
              <td class="num" data-testid="usage-total-cost">
                {usd(report.data.total.cost_nanos)}
              </td>
            </tr>
          </tfoot>
        </TableWrap>
      )}
    </>
  );
}
