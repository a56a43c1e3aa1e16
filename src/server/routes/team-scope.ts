import type { FastifyRequest } from 'fastify';
import { authenticate } from '../../engine/auth.js';
import { forbidden } from '../../engine/errors.js';
import type { Gateway } from '../gateway.js';

/**
 * The `/v1` read routes' rule (usage, usage records, summaries, stored requests): the admin key
 * reads every team (undefined: no team filter), a team key its own team only — asking for another
 * `team_id` is a 403, not an empty answer — and any other caller is refused.
 * `what` names the resource in the refusals ("usage", "requests").
 */
export async function ownTeamScope(gw: Gateway, req: FastifyRequest, requestedTeam: string | undefined, what: 'usage' | 'requests'): Promise<string | undefined> {
  const who = await authenticate(req.headers, gw.snapshot, gw.keys);
  if (who.kind === 'admin') return requestedTeam;
  if (who.kind !== 'team-key' || !who.teamId) throw forbidden(`${PER_TEAM[what]}: use a team key (or the admin key).`);
  if (requestedTeam !== undefined && requestedTeam !== who.teamId) throw forbidden(`This key may only read its own team's ${what}.`);
  return who.teamId;
}

const PER_TEAM = { usage: 'Usage is reported per team', requests: 'Requests are stored per team' } as const;
