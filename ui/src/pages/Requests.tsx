import { useState } from 'preact/hooks';
import { Empty, ErrorNote, Loading, PageHeader, TableWrap } from '../components/ui';
import { int, time, usd } from '../format';
import { useApi, useTitle } from '../hooks';
import type { Scope, Team } from '../scope';

interface RecordView {
  id: number;
  request_id: string;
  time: string;
  team_id: string | null;
  key_prefix: string | null;
  kind: string;
  provider: string | null;
  model: string | null;
  requested_model: string | null;
  prompt: string | null;
  route: string | null;
  status: number;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
}

export const POLL_MS = 2000;

/** The newest requests from the ledger, refreshed every two seconds while the tab is visible. */
export function Requests({ scope }: { scope: Scope }) {
  useTitle('Requests');
  const [team, setTeam] = useState('');
  const [model, setModel] = useState('');
  const [status, setStatus] = useState('');
  const [live, setLive] = useState(true);
  const teams = useApi<{ data: Team[] }>(scope.admin ? '/admin/teams' : null);
  const records = useApi<{ data: RecordView[] }>(scope.records({ team_id: team, model: model.trim(), status, limit: 50 }), live ? POLL_MS : undefined);
  const teamName = (id: string | null) => (id === null ? '(none)' : (teams.data?.data.find((t) => t.id === id)?.name ?? id));
  const rows = records.data?.data ?? [];

  return (
    <>
      <PageHeader title="Requests">
        <button type="button" class="btn" aria-pressed={live} onClick={() => setLive(!live)}>
          {live ? 'Pause live updates' : 'Resume live updates'}
        </button>
      </PageHeader>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter requests">
        {scope.admin && (
          <div class="field">
            <label for="r-team">Team</label>
            <select id="r-team" value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
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
          <label for="r-model">Model</label>
          <input id="r-model" value={model} onChange={(e) => setModel(e.currentTarget.value)} placeholder="e.g. gpt-4o" autocomplete="off" />
        </div>
        <div class="field">
          <label for="r-status">Status</label>
          <select id="r-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">All</option>
            <option value="ok">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </div>
      </form>
      <p class="muted" role="status">
        {live ? 'Live: newest first, refreshed every 2 seconds.' : 'Paused.'}
      </p>
      <ErrorNote error={records.error} what="Could not load the requests" />
      {!records.data && records.loading && <Loading />}
      {records.data && rows.length === 0 && (
        <Empty title={team || model || status ? 'No request matches these filters.' : 'No requests yet.'}>
          <p>Requests appear here within a few seconds of ending: call /v1/chat/completions (or a prompt, or a proxied route) with a key.</p>
        </Empty>
      )}
      {rows.length > 0 && (
        <TableWrap label="Recent requests">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              {scope.admin && <th scope="col">Team</th>}
              <th scope="col">Key</th>
              <th scope="col">Model</th>
              <th scope="col" class="num">Status</th>
              <th scope="col" class="num">Latency</th>
              <th scope="col" class="num">Tokens in / out</th>
              <th scope="col" class="num">Cost</th>
            </tr>
          </thead>
          <tbody data-testid="request-rows">
            {rows.map((r) => (
              <tr key={r.id} class={r.status >= 400 ? 'row-error' : undefined}>
                <td>{time(r.time)}</td>
                {scope.admin && <td>{teamName(r.team_id)}</td>}
                <td>{r.key_prefix ? <code>{r.key_prefix}…</code> : '—'}</td>
                <td>
                  {r.provider && r.model ? `${r.provider}/${r.model}` : (r.requested_model ?? r.route ?? '—')}
                  {r.prompt ? <span class="muted"> · prompt {r.prompt}</span> : null}
                </td>
                <td class="num">
                  <span class={`tag ${r.status >= 400 ? 'tag-revoked' : 'tag-active'}`}>{r.status}</span>
                </td>
                <td class="num">{int(r.latency_ms)} ms</td>
                <td class="num">
                  {int(r.input_tokens)} / {int(r.output_tokens)}
                </td>
                <td class="num">{usd(r.cost_nanos)}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
    </>
  );
}
