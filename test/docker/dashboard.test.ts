/**
 * The Grafana dashboard (docker/grafana/dashboards/tollgate.json) and the compose file's
 * `monitoring` profile fit the gateway they watch: every metric a panel queries exists on a live
 * gateway's /metrics with every label the panel groups or filters by (team labels on, as the
 * compose config sets them); Prometheus scrapes the compose file's gateway services; Grafana's
 * provisioning points at the dashboard folder it mounts. And the team label's cardinality cap.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const dashboard = JSON.parse(readFileSync(root('docker/grafana/dashboards/tollgate.json'), 'utf8'));
const compose = parse(readFileSync(root('docker/compose.yaml'), 'utf8'));
const ask = { model: 'mock/echo', messages: [{ role: 'user', content: 'count me' }] };

/** metric name → label names seen on its series in a /metrics text. */
function seriesLabels(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line);
    if (!m) continue;
    const labels = out.get(m[1]!) ?? new Set<string>();
    for (const l of (m[2] ?? '').matchAll(/(\w+)="/g)) labels.add(l[1]!);
    out.set(m[1]!, labels);
  }
  return out;
}

describe('Grafana dashboard and monitoring profile', () => {
  let gw: Instance;
  let tmp: ReturnType<typeof tempDir>;
  let metrics: Map<string, Set<string>>;
  let text: string;
  const teams: any[] = [];

  beforeAll(async () => {
    tmp = tempDir();
    const config = parse(readFileSync(root('docker/tollgate.compose.yaml'), 'utf8'));
    expect(config.metrics.team_label).toBe(true);
    const priced = 'pricing:\n  mock/echo: { input_per_mtok_usd: 1, output_per_mtok_usd: 2, source: "test", as_of: "2026-12-03" }\n';
    gw = await startInstance(`providers:\n  mock: { type: mock }\nmetrics: { team_label: true, max_teams: 2 }\n${priced}`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
    for (const name of ['t1', 't2', 't3']) {
      const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name })).json;
      team.key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id })).json.key;
      teams.push(team);
      expect((await chat(gw.url, team.key, ask)).status).toBe(200);
    }
    expect((await chat(gw.url, teams[0].key, { model: 'mock/nope', messages: [] })).status).toBeGreaterThanOrEqual(400);
    text = await (await fetch(`${gw.url}/metrics`)).text();
    metrics = seriesLabels(text);
  });
  afterAll(async () => {
    await gw?.close(1000);
    tmp?.remove();
  });

  it('team label: the first max_teams teams by id, later ones as other', () => {
    expect(text).toContain(`team="${teams[0].id}"`);
    expect(text).toContain(`team="${teams[1].id}"`);
    expect(text).not.toContain(teams[2].id);
    expect(text).toMatch(/tollgate_cost_usd_nanos_total\{[^}]*team="other"/);
  });

  it('every panel query names metrics and labels the gateway exports', () => {
    const targets = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => ({ panel: p.title, expr: t.expr as string })));
    expect(targets.length).toBeGreaterThanOrEqual(10);
    const labelsAdded = new Set(['job', 'instance', 'le']); // added by Prometheus, or a histogram's own
    for (const { panel, expr } of targets) {
      const names = [...expr.matchAll(/\b(tollgate_\w+)/g)].map((m) => m[1]!);
      expect(names.length, panel).toBeGreaterThan(0);
      for (const name of names) expect(metrics.has(name), `${panel}: ${name}`).toBe(true);
      const used = [...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((s: string) => s.trim()));
      used.push(...[...expr.matchAll(/[{,](\w+)=~?"/g)].map((m) => m[1]!));
      for (const label of used) {
        if (labelsAdded.has(label)) continue;
        expect(names.some((n) => metrics.get(n)!.has(label)), `${panel}: label ${label} on ${names.join(', ')}`).toBe(true);
      }
    }
    expect(dashboard.panels.some((p: any) => p.targets.some((t: any) => /by \(team\)/.test(t.expr) && t.expr.includes('tollgate_cost_usd_nanos_total')))).toBe(true);
  });

  it('compose: Prometheus (monitoring profile) scrapes every gateway service; Grafana provisions this dashboard', () => {
    const gateways = Object.keys(compose.services).filter((s) => s.startsWith('gateway-'));
    expect(gateways.length).toBe(2);
    for (const s of ['prometheus', 'grafana']) expect(compose.services[s].profiles).toEqual(['monitoring']);
    const prom = parse(readFileSync(root('docker/prometheus.yml'), 'utf8'));
    const scraped = prom.scrape_configs.flatMap((c: any) => c.static_configs.flatMap((sc: any) => sc.targets));
    expect(scraped.sort()).toEqual(gateways.map((g) => `${g}:8787`).sort());
    const mounts: string[] = compose.services.grafana.volumes;
    const dashMount = mounts.find((m) => m.startsWith('./grafana/dashboards:'))!.split(':')[1];
    const provider = parse(readFileSync(root('docker/grafana/provisioning/dashboards/tollgate.yaml'), 'utf8'));
    expect(provider.providers[0].options.path).toBe(dashMount);
    const ds = parse(readFileSync(root('docker/grafana/provisioning/datasources/prometheus.yaml'), 'utf8'));
    expect(ds.datasources[0].uid).toBe(dashboard.panels[0].datasource.uid);
    expect(ds.datasources[0].url).toBe('http://prometheus:9090');
  });
});
