import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { billingUpstream, deliveryRows, expectSigned, monthBounds, pctsFor, providersYaml, spend, team } from '../helpers/alerts.js';
import { startHttpMock, type HttpMock } from '../mocks/http-mock.js';

/**
 * Budget alerts through the full gateway (src/server/start.ts: SQLite ledger, admin API,
 * counters): a team spends its budget call by call and each configured webhook — one plain JSON,
 * one Slack-format — gets exactly one signed POST per threshold and period, whatever further
 * calls, a second instance on the same SQLite file, or a budget's own `alert_at` do.
 */
const JSON_SECRET = 'whsec-json-Lk3Pq8Xv5Tn2Wm7R';
const SLACK_SECRET = 'whsec-slack-Hy6Mz1Qx8Vr3Kp5T';
const secretOf = (path: string) => (path === '/json' ? JSON_SECRET : SLACK_SECRET);

describe('budget alerts: one signed webhook per threshold and period', () => {
  let upstream: HttpMock;
  let receiver: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let yaml: string;
  let env: Record<string, string>;
  let a: Instance;

  beforeAll(async () => {
    upstream = await billingUpstream();
    receiver = await startHttpMock(() => ({ status: 204 }));
    tmp = tempDir();
    yaml = `${providersYaml(upstream)}
alerts:
  webhooks:
    - { url: "${receiver.url}/json", secret: "${JSON_SECRET}" }
    - { url: "${receiver.url}/slack", secret: "${SLACK_SECRET}", format: slack }
  retry: { attempts: 3, backoff_ms: 20 }
`;
    env = { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` };
    a = await startInstance(yaml, env);
  });
  afterAll(async () => {
    await a?.close(1000);
    await Promise.all([upstream?.close(), receiver?.close()]);
    tmp?.remove();
  });

  it('a team crossing 50 %, 80 % and 100 % of its monthly budget: each webhook gets exactly one signed alert per threshold, none again on further calls', async () => {
    const { teamId, key } = await team(a.url, 'thresholds', { budget_usd: { amount: 0.1, period: 'month' } });
    // Each step: thousandths of a dollar spent, then the thresholds alerted so far.
    const steps: Array<[number, number[]]> = [
      [30, []],
      [25, [50]],
      [5, [50]],
      [21, [50, 80]],
      [9, [50, 80]],
      [10, [50, 80, 100]], // exactly $0.10: the reservation fits to the last micro-dollar
    ];
    for (const [n, want] of steps) {
      expect((await spend(a.url, key, n)).status).toBe(200);
      await a.alerts.idle();
      expect(pctsFor(receiver, '/json', teamId)).toEqual(want);
      expect(pctsFor(receiver, '/slack', teamId)).toEqual(want);
    }
    // The budget is spent: further calls are refused and raise nothing.
    for (let i = 0; i < 3; i++) expect((await spend(a.url, key, 1)).status).toBe(429);
    await a.alerts.idle();
    expect(pctsFor(receiver, '/json', teamId)).toEqual([50, 80, 100]);

    const month = monthBounds();
    const spent: Record<number, number> = { 50: 0.055, 80: 0.081, 100: 0.1 };
    const mine = receiver.requests.filter((r) => r.body?.team_id === teamId);
    expect(mine).toHaveLength(6);
    for (const req of mine) {
      expectSigned(req, secretOf(req.path));
      // Signed with this webhook's secret, not the other's.
      expect(() => expectSigned(req, secretOf(req.path === '/json' ? '/slack' : '/json'))).toThrow();
      const pct = req.body.threshold_pct as number;
      const { text, ...alert } = req.body;
      expect(alert).toEqual({
        id: `budget:team:${teamId}:month:${month.label}:${pct}`,
        type: 'budget.threshold',
        scope: 'team',
        team_id: teamId,
        threshold_pct: pct,
        period: 'month',
        period_start: month.start,
        period_end: month.end,
        spent_usd: spent[pct],
        budget_usd: 0.1,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      if (req.path === '/slack') expect(text).toBe(`tollgate: team ${teamId} reached ${pct}% of its monthly budget: $${spent[pct] === 0.1 ? '0.10' : spent[pct]} of $0.10 spent since ${month.label}.`);
      else expect(text).toBeUndefined();
    }
    const rows = deliveryRows(a.storage.db, `budget:team:${teamId}:`);
    expect(rows.map((r) => [r.status, r.attempts, r.lastError, r.kind, r.scope, r.scopeId])).toEqual([
      ['delivered', 2, null, 'budget.threshold', 'team', teamId],
      ['delivered', 2, null, 'budget.threshold', 'team', teamId],
      ['delivered', 2, null, 'budget.threshold', 'team', teamId],
    ]);
  });

  it('the verification snippet in docs/alerts.md accepts a received alert, and refuses a wrong secret, a changed body and an old timestamp', async () => {
    const { teamId, key } = await team(a.url, 'docs-snippet', { budget_usd: { amount: 0.1, period: 'month' } });
    expect((await spend(a.url, key, 50)).status).toBe(200);
    await a.alerts.idle();
    const req = receiver.requests.find((r) => r.path === '/slack' && r.body.team_id === teamId)!;
    const doc = readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    const file = `${tmp.dir}/verify.mjs`;
    writeFileSync(file, snippet);
    const { verifyTollgateAlert } = await import(pathToFileURL(file).href);
    expect(verifyTollgateAlert(req.headers, req.text, SLACK_SECRET)).toBe(true);
    expect(verifyTollgateAlert(req.headers, Buffer.from(req.text), SLACK_SECRET)).toBe(true);
    expect(verifyTollgateAlert(req.headers, req.text, JSON_SECRET)).toBe(false);
    expect(verifyTollgateAlert(req.headers, req.text.replace('"threshold_pct":50', '"threshold_pct":5'), SLACK_SECRET)).toBe(false);
    expect(verifyTollgateAlert(req.headers, req.text, SLACK_SECRET, -1)).toBe(false);
  });

  it('a second instance on the same SQLite file starts from the ledger\'s spend and never repeats an alert the first one sent', async () => {
    const { teamId, key } = await team(a.url, 'two-instances', { budget_usd: { amount: 0.1, period: 'month' } });
    expect((await spend(a.url, key, 55)).status).toBe(200);
    await a.alerts.idle();
    expect(pctsFor(receiver, '/json', teamId)).toEqual([50]);
    a.ledger.flush();

    const b = await startInstance(yaml, env);
    try {
      // B's tally starts at the ledger's 55 %: at 60 % it finds 50 % reached, and its claim is refused.
      expect((await spend(b.url, key, 5)).status).toBe(200);
      await b.alerts.idle();
      expect(pctsFor(receiver, '/json', teamId)).toEqual([50]);
      // 81 % on B (55 from the ledger + 26 of its own): B sends 80 %, once.
      expect((await spend(b.url, key, 21)).status).toBe(200);
      await b.alerts.idle();
      expect(pctsFor(receiver, '/json', teamId)).toEqual([50, 80]);
      // A's own view reaches 85 % (55 + 30): B claimed 80 % already.
      expect((await spend(a.url, key, 30)).status).toBe(200);
      await a.alerts.idle();
      expect(pctsFor(receiver, '/json', teamId)).toEqual([50, 80]);
      expect(pctsFor(receiver, '/slack', teamId)).toEqual([50, 80]);
    } finally {
      await b.close(1000);
    }
    expect(deliveryRows(a.storage.db, `budget:team:${teamId}:`).map((r) => r.status)).toEqual(['delivered', 'delivered']);
  });

  it('alert_at on a budget wins over the configured thresholds, for a team and for a key; [] turns budget alerts off', async () => {
    const { teamId, key, keyId } = await team(
      a.url,
      'alert-at',
      { budget_usd: { amount: 0.1, period: 'day', alert_at: [75, 25, 25] } },
      { budget_usd: { amount: 0.1, period: 'total', alert_at: [90] } },
    );
    // Sorted, duplicates dropped, and shown back.
    expect((await adminCall(a.url, 'GET', `/admin/teams/${teamId}`)).json.limits.budget_usd).toEqual({ amount: 0.1, period: 'day', alert_at: [25, 75] });
    const steps: Array<[number, number[], number[]]> = [
      [30, [25], []],
      [25, [25], []], // 55 %: the configured 50 % does not apply to either budget
      [21, [25, 75], []],
      [14, [25, 75], [90]],
    ];
    for (const [n, forTeam, forKey] of steps) {
      expect((await spend(a.url, key, n)).status).toBe(200);
      await a.alerts.idle();
      expect(pctsFor(receiver, '/json', teamId)).toEqual(forTeam);
      expect(pctsFor(receiver, '/json', keyId)).toEqual(forKey);
    }
    const keyAlert = receiver.requests.find((r) => r.path === '/json' && r.body.key_id === keyId)!;
    expectSigned(keyAlert, JSON_SECRET);
    expect(keyAlert.body).toEqual({
      id: `budget:key:${keyId}:total:total:90`,
      type: 'budget.threshold',
      scope: 'key',
      team_id: teamId,
      key_id: keyId,
      threshold_pct: 90,
      period: 'total',
      period_start: null,
      period_end: null,
      spent_usd: 0.09,
      budget_usd: 0.1,
      time: expect.any(String),
    });
    const day = new Date().toISOString().slice(0, 10);
    expect(receiver.requests.find((r) => r.path === '/json' && r.body.team_id === teamId && r.body.threshold_pct === 75)!.body).toMatchObject({ period: 'day', period_start: `${day}T00:00:00.000Z` });

    const off = await team(a.url, 'alert-at-off', { budget_usd: { amount: 0.1, period: 'month', alert_at: [] } });
    expect((await spend(a.url, off.key, 90)).status).toBe(200);
    await a.alerts.idle();
    expect(pctsFor(receiver, '/json', off.teamId)).toEqual([]);
    expect(deliveryRows(a.storage.db, `budget:team:${off.teamId}:`)).toEqual([]);
  });

  it('bad alert_at values are 400s naming the field, on teams and keys, and /openapi.json documents alert_at', async () => {
    const budget = (alert_at: unknown) => ({ limits: { budget_usd: { amount: 1, period: 'month', alert_at } } });
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/admin/teams', { name: 'zero', ...budget([0]) }, 'limits.budget_usd.alert_at.0'],
      ['POST', '/admin/teams', { name: 'big', ...budget([50, 1001]) }, 'limits.budget_usd.alert_at.1'],
      ['POST', '/admin/teams', { name: 'frac', ...budget([12.5]) }, 'limits.budget_usd.alert_at.0'],
      ['POST', '/admin/teams', { name: 'neg', ...budget([-50]) }, 'limits.budget_usd.alert_at.0'],
      ['POST', '/admin/teams', { name: 'str', ...budget('80') }, 'limits.budget_usd.alert_at'],
      ['POST', '/admin/teams', { name: 'strs', ...budget(['80']) }, 'limits.budget_usd.alert_at.0'],
      ['POST', '/admin/teams', { name: 'many', ...budget([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) }, 'limits.budget_usd.alert_at'],
      ['POST', '/admin/teams', { name: 'null', ...budget(null) }, 'limits.budget_usd.alert_at'],
      ['POST', '/admin/teams', { name: 'tok', limits: { tokens: { amount: 5, period: 'day', alert_at: [50] } } }, 'limits.tokens.alert_at'],
      // 1e400 is refused while parsing (the gateway's non-finite check names it its own way).
      ['POST', '/admin/teams', '{"name":"inf","limits":{"budget_usd":{"amount":1,"period":"day","alert_at":[1e400]}}}', 'limits.budget_usd.alert_at[0]'],
      ['PATCH', '/admin/teams/TEAM', budget([0]), 'limits.budget_usd.alert_at.0'],
      ['POST', '/admin/keys', { team_id: 'TEAM', ...budget([2000]) }, 'limits.budget_usd.alert_at.0'],
    ];
    const { teamId } = await team(a.url, 'alert-at-validation', null);
    for (const [method, path, body, param] of cases) {
      const withTeam = typeof body === 'string' ? body : JSON.parse(JSON.stringify(body).replace('"TEAM"', JSON.stringify(teamId)));
      const r = await adminCall(a.url, method, path.replace('TEAM', teamId), withTeam);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.json.error.type).toBe('invalid_request_error');
      expect(r.json.error.param, JSON.stringify(r.json)).toBe(param);
    }
    expect((await adminCall(a.url, 'GET', `/admin/teams/${teamId}`)).json.limits).toBeNull();
    const doc = await (await fetch(`${a.url}/openapi.json`)).json();
    expect(JSON.stringify(doc)).toContain('alert_at');
  });
});
