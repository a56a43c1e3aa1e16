import { useState } from 'preact/hooks';
import { qs, send, type ApiError } from '../api';
import { fieldsOf, LimitInputs, limitsOf, type LimitFields } from '../components/LimitsForm';
import { Confirm, CopyButton, Empty, ErrorNote, Link, Loading, PageHeader, TableWrap } from '../components/ui';
import { date } from '../format';
import { useApi, useTitle } from '../hooks';
import type { Key, Team } from '../scope';

const status = (k: Key): 'revoked' | 'expired' | 'active' => (k.revoked_at ? 'revoked' : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? 'expired' : 'active');

/** Keys: create (shown once), list by prefix, revoke with confirmation. */
export function Keys() {
  useTitle('Keys');
  const teams = useApi<{ data: Team[] }>('/admin/teams');
  const [teamFilter, setTeamFilter] = useState('');
  const keys = useApi<{ data: Key[] }>(`/admin/keys${qs({ team_id: teamFilter })}`);
  const [revoking, setRevoking] = useState<Key | null>(null);
  const [revokeError, setRevokeError] = useState<ApiError | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const teamName = (id: string) => teams.data?.data.find((t) => t.id === id)?.name ?? id;

  const revoke = () => {
    const k = revoking!;
    setRevoking(null);
    setRevokeError(null);
    send<Key>('DELETE', `/admin/keys/${encodeURIComponent(k.id)}`).then(
      () => {
        setRevoked(`Key ${k.prefix}… revoked: calls with it are refused from now on.`);
        keys.reload();
      },
      (e: ApiError) => setRevokeError(e),
    );
  };

  return (
    <>
      <PageHeader title="Keys" />
      {teams.data && teams.data.data.length === 0 ? (
        <Empty title="No teams yet.">
          <p>
            A key belongs to a team: <Link to="/teams">create a team</Link> first.
          </p>
        </Empty>
      ) : (
        teams.data && <CreateKey teams={teams.data.data} onCreated={keys.reload} />
      )}
      <h2>Keys</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter keys">
        <div class="field">
          <label for="keys-team">Team</label>
          <select id="keys-team" value={teamFilter} onChange={(e) => setTeamFilter(e.currentTarget.value)}>
            <option value="">All teams</option>
            {teams.data?.data.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorNote error={keys.error ?? teams.error} what="Could not load the keys" />
      <ErrorNote error={revokeError} what="The key was not revoked" />
      {revoked && (
        <p class="success" role="status">
          {revoked}
        </p>
      )}
      {!keys.data && keys.loading && <Loading />}
      {keys.data && keys.data.data.length === 0 && (
        <Empty title="No keys here yet.">
          <p>Create one above; it is shown once, so copy it into your secret store straight away.</p>
        </Empty>
      )}
      {keys.data && keys.data.data.length > 0 && (
        <TableWrap label="Keys">
          <thead>
            <tr>
              <th scope="col">Prefix</th>
              <th scope="col">Name</th>
              <th scope="col">Team</th>
              <th scope="col">Allowed models</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.data.map((k) => (
              <tr key={k.id} data-key-id={k.id}>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.name}</td>
                <td>{teamName(k.team_id)}</td>
                <td>{k.allowed_models?.join(', ') ?? 'all'}</td>
                <td>{k.expires_at ? date(k.expires_at) : 'never'}</td>
                <td>
                  <span class={`tag tag-${status(k)}`}>{status(k)}</span>
                </td>
                <td>{date(k.created_at)}</td>
                <td>
                  {!k.revoked_at && (
                    <button type="button" class="btn btn-small btn-danger" onClick={() => setRevoking(k)} aria-label={`Revoke key ${k.prefix}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
      <Confirm open={revoking !== null} title="Revoke this key?" confirmLabel="Revoke key" danger onConfirm={revoke} onCancel={() => setRevoking(null)}>
        <p>
          Key <code>{revoking?.prefix}…</code> ({revoking?.name}) will be refused at once, on every instance. This cannot be undone.
        </p>
      </Confirm>
    </>
  );
}

function CreateKey({ teams, onCreated }: { teams: Team[]; onCreated: () => void }) {
  const [teamId, setTeamId] = useState(teams[0]?.id ?? '');
  const [name, setName] = useState('');
  const [models, setModels] = useState('');
  const [expires, setExpires] = useState('');
  const [fields, setFields] = useState<LimitFields>(fieldsOf(null));
  const [error, setError] = useState<ApiError | null>(null);
  // The new key lives here until "Done": it is shown once and then forgotten.
  const [created, setCreated] = useState<(Key & { key: string }) | null>(null);
  const team = teams.some((t) => t.id === teamId) ? teamId : (teams[0]?.id ?? '');

  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    const allowed = models
      .split(/[\s,]+/)
      .map((m) => m.trim())
      .filter(Boolean);
    const limits = limitsOf(fields);
    send<Key & { key: string }>('POST', '/admin/keys', {
      team_id: team,
      ...(name.trim() && { name: name.trim() }),
      ...(allowed.length && { allowed_models: allowed }),
      ...(expires && { expires_at: `${expires}T00:00:00Z` }),
      ...(limits && { limits }),
    }).then(
      (k) => {
        setCreated(k);
        setName('');
        setModels('');
        setExpires('');
        onCreated();
      },
      (err: ApiError) => setError(err),
    );
  };

  if (created)
    return (
      <section class="card created" aria-labelledby="new-key-title">
        <h2 id="new-key-title">Key created: copy it now</h2>
        <p>This is the only time the key is shown. The gateway keeps only its hash.</p>
        <p class="key-box">
          <code data-testid="new-key">{created.key}</code>
        </p>
        <CopyButton text={created.key} label="Copy key" />
        <p>
          <button type="button" class="btn btn-primary" onClick={() => setCreated(null)}>
            Done, I stored it
          </button>
        </p>
      </section>
    );

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="create-key">
      <h2 id="create-key">Create a key</h2>
      <ErrorNote error={error} what="The key was not created" />
      <div class="form-grid">
        <div class="field">
          <label for="key-team">Team</label>
          <select id="key-team" value={team} onChange={(e) => setTeamId(e.currentTarget.value)}>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="key-name">Name</label>
          <input id="key-name" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. ci" autocomplete="off" />
        </div>
        <div class="field">
          <label for="key-models">Allowed models</label>
          <input id="key-models" value={models} onInput={(e) => setModels(e.currentTarget.value)} placeholder="all; or e.g. openai/*, mock/echo" aria-describedby="key-models-hint" />
          <div class="hint" id="key-models-hint">
            Comma-separated; a trailing * matches a prefix.
          </div>
        </div>
        <div class="field">
          <label for="key-expires">Expires (UTC midnight)</label>
          <input id="key-expires" type="date" value={expires} onChange={(e) => setExpires(e.currentTarget.value)} />
        </div>
      </div>
      <details>
        <summary>Limits of this key (optional)</summary>
        <LimitInputs idPrefix="new-key" value={fields} onChange={setFields} />
      </details>
      <button type="submit" class="btn btn-primary">
        Create key
      </button>
    </form>
  );
}
