import { useState } from 'preact/hooks';
import { send, type ApiError } from '../api';
import { fieldsOf, LimitInputs, limitsOf, limitsText, type LimitFields } from '../components/LimitsForm';
import { BudgetBar, Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { date, int, percent } from '../format';
import { useApi, useTitle } from '../hooks';
import type { ScopeBudgets, Team } from '../scope';

/** Teams with their budgets in the current period, creation, and limit edits (the API validates). */
export function Teams() {
  useTitle('Teams');
  const teams = useApi<{ data: Team[] }>('/admin/teams');
  const budgets = useApi<{ data: ScopeBudgets[] }>('/admin/budgets');
  const [editing, setEditing] = useState<string | null>(null);
  const reload = () => {
    teams.reload();
    budgets.reload();
  };
  const budgetOf = (id: string) => budgets.data?.data.find((b) => b.scope === 'team' && b.id === id);

  return (
    <>
      <PageHeader title="Teams" />
      <CreateTeam onCreated={reload} />
      <h2>All teams</h2>
      <ErrorNote error={teams.error ?? budgets.error} what="Could not load the teams" />
      {!teams.data && teams.loading && <Loading />}
      {teams.data && teams.data.data.length === 0 && (
        <Empty title="No teams yet.">
          <p>Create one above: usage, limits and keys all belong to a team. Then create a key for it on the Keys page.</p>
        </Empty>
      )}
      <ul class="cards" aria-label="Teams">
        {teams.data?.data.map((t) => {
          const b = budgetOf(t.id);
          return (
            <li class="card team-card" key={t.id} data-team-id={t.id}>
              <div class="card-head">
                <h3>{t.name}</h3>
                <code class="muted">{t.id}</code>
              </div>
              {b?.budget ? <BudgetBar budget={b.budget} label={`Budget of ${t.name}`} /> : <p class="muted">No budget.</p>}
              {b?.tokens && (
                <p class="muted">
                  Tokens: {int(b.tokens.used)} of {int(b.tokens.amount)} ({percent(b.tokens.used, b.tokens.amount)})
                  {b.tokens.resets_at ? `, resets ${date(b.tokens.resets_at)}` : ''}
                </p>
              )}
              <p>{limitsText(t.limits)}</p>
              <p class="muted">Created {date(t.created_at)}</p>
              {editing === t.id ? (
                <EditLimits
                  team={t}
                  onDone={(changed) => {
                    setEditing(null);
                    if (changed) reload();
                  }}
                />
              ) : (
                <button type="button" class="btn" onClick={() => setEditing(t.id)} aria-label={`Edit limits of ${t.name}`}>
                  Edit limits
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

function CreateTeam({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [fields, setFields] = useState<LimitFields>(fieldsOf(null));
  const [formKey, setFormKey] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const limits = limitsOf(fields);
    send<Team>('POST', '/admin/teams', { name, ...(limits && { limits }) }).then(
      (t) => {
        setDone(`Team “${t.name}” created.`);
        setName('');
        setFields(fieldsOf(null));
        setFormKey((k) => k + 1);
        onCreated();
      },
      (err: ApiError) => setError(err),
    );
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="create-team">
      <h2 id="create-team">Create a team</h2>
      <ErrorNote error={error} what="The team was not created" />
      {done && (
        <p class="success" role="status">
          {done}
        </p>
      )}
      <div class="field">
        <label for="team-name">Name</label>
        <input id="team-name" value={name} onInput={(e) => setName(e.currentTarget.value)} autocomplete="off" />
      </div>
      <LimitInputs key={formKey} idPrefix="new-team" value={fields} onChange={setFields} />
      <button type="submit" class="btn btn-primary">
        Create team
      </button>
    </form>
  );
}

function EditLimits({ team, onDone }: { team: Team; onDone: (changed: boolean) => void }) {
  const [fields, setFields] = useState<LimitFields>(fieldsOf(team.limits));
  const [error, setError] = useState<ApiError | null>(null);
  const save = (e: Event) => {
    e.preventDefault();
    setError(null);
    send<Team>('PATCH', `/admin/teams/${encodeURIComponent(team.id)}`, { limits: limitsOf(fields) }).then(
      () => onDone(true),
      (err: ApiError) => setError(err),
    );
  };
  return (
    <form class="form inline-form" onSubmit={save} aria-label={`Limits of ${team.name}`}>
      <ErrorNote error={error} what="The limits were not saved" />
      <LimitInputs idPrefix={`edit-${team.id}`} value={fields} onChange={setFields} />
      <p class="hint">Empty every field to remove all limits. Changes apply to the next request, on every instance.</p>
      <div class="row">
        <button type="submit" class="btn btn-primary">
          Save limits
        </button>
        <button type="button" class="btn" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
