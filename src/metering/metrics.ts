import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Snapshot } from '../engine/runtime.js';
import type { UsageSink } from './usage-record.js';

export interface Metrics {
  registry: Registry;
  sink: UsageSink;
}

/** provider name, upstream model → the `model` label. */
export type ModelLabel = (provider: string, model: string) => string;

/**
 * The `model` label: a model the configuration names (alias targets, a provider's built-in
 * models) or the catalog lists (its catalog id), anything else `other`. Model names are the
 * client's choice: labelling them as sent would grow `/metrics` without bound. Built once.
 */
export function modelLabeler(snap: Pick<Snapshot, 'providers' | 'aliases' | 'catalog'>): ModelLabel {
  const known = new Set<string>();
  for (const [name, p] of snap.providers) for (const m of p.adapter.staticModels ?? []) known.add(`${name}/${m}`);
  for (const a of snap.aliases.values()) for (const t of a.targets) known.add(`${t.provider.config.name}/${t.model}`);
  return (provider, model) => {
    if (known.has(`${provider}/${model}`)) return model;
    const p = snap.providers.get(provider);
    return (p && snap.catalog.get(p.catalogProvider, model)?.model) ?? 'other';
  };
}

/** The `team` label: team ids as seen, up to `max` distinct values, then `other` (bounded cardinality). */
export function teamLabeler(max: number): (teamId: string | null) => string {
  const seen = new Set<string>();
  return (teamId) => {
    if (!teamId) return 'none';
    if (seen.has(teamId)) return teamId;
    if (seen.size >= max) return 'other';
    seen.add(teamId);
    return teamId;
  };
}

/**
 * Prometheus metrics (`GET /metrics`), fed by the settled usage records. With `teamLabels` (the
 * cap from `metrics.team_label`/`max_teams`), requests, tokens and cost carry a `team` label too.
 */
export function createMetricsSink(modelLabel: ModelLabel, teamLabels?: number): Metrics {
  const registry = new Registry();
  // prom-client's names already say process_/nodejs_: `tollgate_process_cpu_seconds_total`, not `tollgate_process_process_…`.
  collectDefaultMetrics({ register: registry, prefix: 'tollgate_' });
  const team = teamLabels ? teamLabeler(teamLabels) : undefined;
  const t = team ? (['team'] as const) : ([] as const);
  const requests = new Counter({ name: 'tollgate_requests_total', help: 'Requests settled, by kind, provider and status', labelNames: ['kind', 'provider', 'status', ...t], registers: [registry] });
  const tokens = new Counter({ name: 'tollgate_tokens_total', help: 'Tokens metered, by provider, model and direction', labelNames: ['provider', 'model', 'direction', ...t], registers: [registry] });
  const cost = new Counter({ name: 'tollgate_cost_usd_nanos_total', help: 'Cost metered in nano-dollars, by provider and model', labelNames: ['provider', 'model', ...t], registers: [registry] });
  const latency = new Histogram({
    name: 'tollgate_request_duration_seconds',
    help: 'Time from request arrival to the end of the response',
    labelNames: ['kind', 'provider'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    registry,
    sink: {
      record(r) {
        const provider = r.provider ?? 'none';
        const teamLabel = team ? { team: team(r.teamId) } : undefined;
        requests.inc({ kind: r.kind, provider, status: String(r.status), ...teamLabel });
        latency.observe({ kind: r.kind, provider }, r.latencyMs / 1000);
        if (!r.model || !(r.inputTokens || r.outputTokens || r.costNanos)) return;
        const model = modelLabel(provider, r.model);
        if (r.inputTokens || r.outputTokens) {
          tokens.inc({ provider, model, direction: 'input', ...teamLabel }, r.inputTokens);
          tokens.inc({ provider, model, direction: 'output', ...teamLabel }, r.outputTokens);
        }
        if (r.costNanos) cost.inc({ provider, model, ...teamLabel }, r.costNanos);
      },
    },
  };
}
