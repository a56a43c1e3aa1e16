/**
 * A prompt call through the whole gateway as `npm start` builds it (storage, ledger, admin API):
 * a team key calls a prompt restricted to its team, and the ledger row carries kind `prompt`,
 * the prompt's name and version, the team and key (docs/contract.md §4, §5); `GET /admin/usage?group_by=prompt`
 * reports it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const tmp = tempDir();
let gw: Instance;
let teamKey: string;
let teamId: string;
let keyId: string;

beforeAll(async () => {
  const dir = join(tmp.dir, 'prompts');
  mkdirSync(dir);
  gw = await startInstance(`prompts:\n  dir: "${dir}"\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
  // The prompt is written once the team exists (its id goes in `teams`): the directory is
  // read at start, so the library is refreshed by hand (watching is off in this helper).
  const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'docs-team' });
  writeFileSync(
    join(dir, 'title.md'),
    `---\nversion: "2"\nmodel: mock/echo\nteams: [${team.json.id}]\ninput:\n  type: object\n  required: [topic]\n  properties:\n    topic: { type: string }\n---\nA title for {{ topic }}\n`,
  );
  const key = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'writer' });
  teamKey = key.json.key;
  teamId = team.json.id;
  keyId = key.json.id;
  await gw.prompts.reload();
});
afterAll(async () => {
  await gw?.close();
  tmp.remove();
});

describe('prompt usage in the ledger', () => {
  it('a call leaves one ledger row with kind prompt, name and version, team and key', async () => {
    const res = await fetch(`${gw.url}/v1/prompts/title`, { method: 'POST', headers: { authorization: `Bearer ${teamKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'gateways' }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).output).toBe('A title for gateways');

    // Another team's key may not call it.
    const other = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'other-team' });
    const otherKey = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: other.json.id, name: 'o' });
    const denied = await fetch(`${gw.url}/v1/prompts/title`, { method: 'POST', headers: { authorization: `Bearer ${otherKey.json.key}`, 'content-type': 'application/json' }, body: '{"topic":"x"}' });
    expect(denied.status).toBe(403);

    gw.ledger.flush();
    const rows = gw.storage.sqlite.prepare("SELECT * FROM usage_records WHERE kind = 'prompt'").all() as Record<string, unknown>[];
    const ok = rows.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({ prompt_name: 'title', prompt_version: '2', team_id: teamId, key_id: keyId, provider: 'mock' });
    expect(Number(ok[0]!.input_tokens)).toBeGreaterThan(0);

    const report = await adminCall(gw.url, 'GET', '/admin/usage?group_by=prompt');
    expect(report.status).toBe(200);
    expect(report.json.data).toEqual(expect.arrayContaining([expect.objectContaining({ prompt: 'title', requests: expect.any(Number) })]));
  });
});
