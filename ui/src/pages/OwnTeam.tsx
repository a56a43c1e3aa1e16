import { limitsText } from '../components/LimitsForm';
import { BudgetBar, Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { date, int, percent } from '../format';
import { useApi, useTitle } from '../hooks';
import type { BudgetStatus, Limits, TokenStatus } from '../scope';

interface OwnTeamView {
  id: string;
  name: string;
  limits: Limits | null;
  created_at: string;
  budget: BudgetStatus | null;
  tokens: TokenStatus | null;
}

/** A team key's own team (GET /v1/team): limits, budget spent in this period and when it resets. */
export function OwnTeam() {
  useTitle('Team');
  const team = useApi<OwnTeamView>('/v1/team');
  const t = team.data;
  return (
    <>
      <PageHeader title={t ? `Team ${t.name}` : 'Team'} />
      <ErrorNote error={team.error} what="Could not load the team" />
      {!t && team.loading && <Loading />}
      {t && (
        <div class="card team-card" data-team-id={t.id}>
          <div class="card-head">
            <h2>{t.name}</h2>
            <code class="muted">{t.id}</code>
          </div>
          {t.budget ? (
            <BudgetBar budget={t.budget} label={`Budget of ${t.name}`} />
          ) : (
            <Empty title="This team has no budget.">
              <p>Spend is not capped. An admin can set one (Teams page, or PATCH /admin/teams/{'{id}'}).</p>
            </Empty>
          )}
          {t.tokens && (
            <p class="muted">
              Tokens: {int(t.tokens.used)} of {int(t.tokens.amount)} ({percent(t.tokens.used, t.tokens.amount)})
              {t.tokens.resets_at ? `, resets ${date(t.tokens.resets_at)}` : ''}
            </p>
          )}
          <p>{limitsText(t.limits)}</p>
          <p class="muted">Created {date(t.created_at)}</p>
        </div>
      )}
    </>
  );
}
