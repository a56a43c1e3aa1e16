import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { ADMIN_KEY, adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { withTestPromptsDir } from '../helpers/prompts-dir.js';
import { billingUpstream, expectSigned, pctsFor, providersYaml, sleep, spend, team } from '../helpers/alerts.js';
import { startHttpMock, type HttpMock } from '../mocks/http-mock.js';

/**
 * `alerts` is applied at once by a config reload (docs/admin-api.md): a gateway started without
 * webhooks loads the alerts on the reload that adds one, starting from the spend already in the
 * ledger; thresholds and secrets change with the file; removing the webhooks stops the alerts.
 */
const SECRET = 'whsec-reload-Nw4Rx9Lq2Zt7Pm3K';

describe('alerts and config reload', () => {
  let upstream: HttpMock;
  let receiver: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let configPath: string;
  let gw: Instance;
  let base: string;

  beforeAll(async () => {
    upstream = await billingUpstream();
    receiver = await startHttpMock(() => ({ status: 204 }));
    tmp = tempDir();
    configPath = join(tmp.dir, 'tollgate.yaml');
    base = providersYaml(upstream);
    writeFileSync(configPath, base);
    const env = { TOLLGATE_ADMIN_KEY: ADMIN_KEY, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` };
    const source = () => {
      const loaded = withTestPromptsDir(parseConfigText(readFileSync(configPath, 'utf8'), env, configPath));
      return { snapshot: buildSnapshot(loaded, env), file: loaded.file, path: configPath };
    };
    gw = await startInstance(base, env, { configSource: source, configFile: source().file });
  });
  afterAll(async () => {
    await gw?.close(1000);
    await Promise.all([upstream?.close(), receiver?.close()]);
    tmp?.remove();
  });

  const reload = async (yaml: string) => {
    writeFileSync(configPath, yaml);
    const r = await adminCall(gw.url, 'POST', '/admin/config/reload');
    expect(r.status).toBe(200);
    expect(r.json.changed).toContain('alerts');
  };

  it('webhooks added by a reload: alerts load, start from the ledger\'s spend, follow the new thresholds; removed: nothing is sent', async () => {
    const { teamId, key } = await team(gw.url, 'reloaded', { budget_usd: { amount: 0.1, period: 'month' } });
    expect(gw.alerts.current).toBeUndefined(); // no webhook: not even loaded
    expect((await spend(gw.url, key, 60)).status).toBe(200);

    await reload(`${base}
alerts:
  webhooks: [{ url: "${receiver.url}/hook", secret: "${SECRET}" }]
  budget_thresholds: [50, 90, 100]
`);
    const end = Date.now() + 3000;
    while (!gw.alerts.current && Date.now() < end) await sleep(10);
    await gw.alerts.idle();
    expect(gw.alerts.current).toBeDefined();
    // 60 % from the ledger + 5 %: 50 % is reached (80 % is no longer a threshold).
    expect((await spend(gw.url, key, 5)).status).toBe(200);
    await gw.alerts.idle();
    expect(pctsFor(receiver, '/hook', teamId)).toEqual([50]);
    expectSigned(receiver.requests.at(-1)!, SECRET);
    expect((await spend(gw.url, key, 20)).status).toBe(200); // 85 %
    await gw.alerts.idle();
    expect(pctsFor(receiver, '/hook', teamId)).toEqual([50]);

    // Webhooks removed: spend still counts, nothing is sent.
    await reload(`${base}
alerts:
  budget_thresholds: [50, 90, 100]
`);
    expect((await spend(gw.url, key, 5)).status).toBe(200); // 90 %
    await gw.alerts.idle();
    expect(pctsFor(receiver, '/hook', teamId)).toEqual([50]);

    // Back, with another path: the next settled request finds 90 % reached and alerts it once.
    await reload(`${base}
alerts:
  webhooks: [{ url: "${receiver.url}/again", secret: "${SECRET}" }]
  budget_thresholds: [50, 90, 100]
`);
    expect((await spend(gw.url, key, 1)).status).toBe(200); // 91 %
    await gw.alerts.idle();
    expect(pctsFor(receiver, '/again', teamId)).toEqual([90]);
    expect(receiver.requests.at(-1)!.body.spent_usd).toBe(0.091);
  });
});
