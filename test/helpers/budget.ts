import { expect } from 'vitest';
import { adminCall } from './instance.js';

/** A team with a total budget of `nanos` nano-dollars and one key for it (admin API). */
export async function budgetTeam(url: string, name: string, nanos: number): Promise<{ teamId: string; key: string }> {
  const team = await adminCall(url, 'POST', '/admin/teams', { name, limits: { budget_usd: { amount: nanos / 1e9, period: 'total' } } });
  expect(team.status).toBe(201);
  const key = await adminCall(url, 'POST', '/admin/keys', { team_id: team.json.id, name: `${name}-key` });
  expect(key.status).toBe(201);
  return { teamId: team.json.id, key: key.json.key };
}

/** The team's recorded spend and request count, from the ledger (`GET /admin/usage`). */
export async function ledgerOf(url: string, teamId: string): Promise<{ nanos: number; requests: number; output: number; input: number }> {
  const r = await adminCall(url, 'GET', `/admin/usage?group_by=team&team_id=${teamId}`);
  expect(r.status).toBe(200);
  const t = r.json.total;
  return { nanos: t.cost_nanos, requests: t.requests, output: t.output_tokens, input: t.input_tokens };
}

/** POSTs JSON with a team key; the body text is sent as given (so `1e400` reaches the gateway as written). */
export async function post(url: string, path: string, key: string, body: string | object, headers: Record<string, string> = {}): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}
