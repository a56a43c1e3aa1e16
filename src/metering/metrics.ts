import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UsageSink } from './usage-record.js';

export interface Metrics {
  registry: Registry;
  sink: UsageSink;
}

/** Prometheus metrics (`GET /metrics`), fed by the settled usage records. */
export function createMetricsSink(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tollgate_process_' });
  const requests = new Counter({ name: 'tollgate_requests_total', help: 'Requests settled, by kind, provider and status', labelNames: ['kind', 'provider', 'status'], registers: [registry] });
  const tokens = new Counter({ name: 'tollgate_tokens_total', help: 'Tokens metered, by provider, model and direction', labelNames: ['provider', 'model', 'direction'], registers: [registry] });
  const cost = new Counter({ name: 'tollgate_cost_usd_micros_total', help: 'Cost metered in micro-dollars, by provider and model', labelNames: ['provider', 'model'], registers: [registry] });
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
        requests.inc({ kind: r.kind, provider, status: String(r.status) });
        latency.observe({ kind: r.kind, provider }, r.latencyMs / 1000);
        if (r.model && (r.inputTokens || r.outputTokens)) {
          tokens.inc({ provider, model: r.model, direction: 'input' }, r.inputTokens);
          tokens.inc({ provider, model: r.model, direction: 'output' }, r.outputTokens);
        }
        if (r.model && r.costMicros) cost.inc({ provider, model: r.model }, r.costMicros);
      },
    },
  };
}
