import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
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
  const requests = deferredCounter(registry, 'tollgate_requests_total', 'Requests settled, by kind, provider and status', ['kind', 'provider', 'status', ...t]);
  const tokens = deferredCounter(registry, 'tollgate_tokens_total', 'Tokens metered, by provider, model and direction', ['provider', 'model', 'direction', ...t]);
  const cost = deferredCounter(registry, 'tollgate_cost_usd_nanos_total', 'Cost metered in nano-dollars, by provider and model', ['provider', 'model', ...t]);
  const latency = deferredHistogram(registry, 'tollgate_request_duration_seconds', 'Time from request arrival to the end of the response', ['kind', 'provider'], [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);
  const label = memo(modelLabel);
  return {
    registry,
    sink: {
      record(r) {
        const provider = r.provider ?? 'none';
        // Without a team label the last value is undefined: past the counter's label names, ignored.
        const tl = team?.(r.teamId);
        requests(1, r.kind, provider, String(r.status), tl);
        latency(r.latencyMs / 1000, r.kind, provider);
        if (!r.model || !(r.inputTokens || r.outputTokens || r.costNanos)) return;
        const model = label(provider, r.model);
        if (r.inputTokens || r.outputTokens) {
          tokens(r.inputTokens, provider, model, 'input', tl);
          tokens(r.outputTokens, provider, model, 'output', tl);
        }
        if (r.costNanos) cost(r.costNanos, provider, model, tl);
      },
    },
  };
}

/**
 * A counter whose increments are summed per label set here and handed to prom-client when the
 * metrics are read (its `collect`). prom-client hashes and validates the label object on every
 * `inc` (~1 µs, four times per request); a sum in a Map keyed by the joined values costs a tenth.
 * Label sets are bounded as the labels are (teams capped, models labelled through the catalog).
 */
function deferredCounter(registry: Registry, name: string, help: string, labelNames: readonly string[]): (n: number, ...values: (string | undefined)[]) => void {
  const pending = perLabelSet(labelNames, () => ({ n: 0 }));
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const p of pending.values()) {
        if (!p.n) continue;
        this.inc(p.labels, p.n);
        p.n = 0;
      }
    },
  });
  return (n, ...values) => {
    pending.of(values).n += n;
  };
}

/**
 * A histogram counted here, per label set, and handed to the registry in prom-client's own
 * shape when the metrics are read (the same exposition as its Histogram: cumulative `_bucket`
 * lines with `le`, then `_sum` and `_count`). prom-client's `observe` converts, validates and
 * hashes the label object each time (~2 µs per request in the pass-through profile); here an
 * observation is a Map lookup and a bucket increment.
 */
function deferredHistogram(registry: Registry, name: string, help: string, labelNames: readonly string[], bounds: readonly number[]): (value: number, ...values: string[]) => void {
  const sets = perLabelSet(labelNames, () => ({ counts: new Float64Array(bounds.length), sum: 0, count: 0 }));
  const get = () => {
    const values: Array<{ labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }> = [];
    for (const d of sets.values()) {
      let acc = 0;
      bounds.forEach((le, i) => {
        acc += d.counts[i]!;
        values.push({ labels: { le }, sharedLabels: d.labels, value: acc, metricName: `${name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: d.labels, value: d.count, metricName: `${name}_bucket` });
      values.push({ labels: {}, sharedLabels: d.labels, value: d.sum, metricName: `${name}_sum` });
      values.push({ labels: {}, sharedLabels: d.labels, value: d.count, metricName: `${name}_count` });
    }
    return { name, help, type: 'histogram' as const, values, aggregator: 'sum' as const };
  };
  registry.registerMetric({ name, help, get, reset: () => sets.clear() } as unknown as Parameters<Registry['registerMetric']>[0]);
  return (value, ...values) => {
    const d = sets.of(values);
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) d.counts[i]!++;
    d.sum += value;
    d.count++;
  };
}

/**
 * One entry per distinct set of label values, made on first sight and kept in a Map keyed by the
 * joined values (with the label object prom-client's exposition needs); `values()` lists them.
 */
function perLabelSet<T extends object>(labelNames: readonly string[], make: () => T) {
  const entries = new Map<string, T & { labels: Record<string, string> }>();
  return {
    of(values: readonly (string | undefined)[]): T & { labels: Record<string, string> } {
      const key = values.join('\u0000');
      let e = entries.get(key);
      if (!e) entries.set(key, (e = Object.assign(make(), { labels: Object.fromEntries(labelNames.map((l, i) => [l, values[i]!])) })));
      return e;
    },
    values: () => entries.values(),
    clear: () => entries.clear(),
  };
}

/** The model labeller, remembered per (provider, model) — up to MEMO_MAX pairs, then computed each time. */
const MEMO_MAX = 10_000;
function memo(modelLabel: ModelLabel): ModelLabel {
  const seen = new Map<string, string>();
  return (provider, model) => {
    const key = `${provider}\u0000${model}`;
    let label = seen.get(key);
    if (label === undefined) {
      label = modelLabel(provider, model);
      if (seen.size < MEMO_MAX) seen.set(key, label);
    }
    return label;
  };
}
