/**
 * The request-duration histogram is counted by tollgate and handed to prom-client when /metrics is
 * read (src/metering/metrics.ts): its exposition must be exactly prom-client's own Histogram's
 * for the same observations — bucket edges included, values past the last bucket, several label sets.
 */
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsSink } from '../../src/metering/metrics.js';
import { usageRecord } from '../../src/metering/usage-record.js';

const NAME = 'tollgate_request_duration_seconds';
const BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function histogramLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(NAME) || l.includes(` ${NAME} `));
}

describe('request-duration histogram', () => {
  it('reads exactly as prom-client Histogram fed the same observations', async () => {
    const metrics = createMetricsSink(() => 'other');
    const reference = new Registry();
    const h = new Histogram({ name: NAME, help: 'Time from request arrival to the end of the response', labelNames: ['kind', 'provider'], buckets: BUCKETS, registers: [reference] });
    // Edges (exactly on a bound), between bounds, past the last bound, zero; three label sets.
    const latencies = [0, 5, 10, 7, 49, 50, 51, 999, 1000, 1001, 60_000, 61_000, 123_456, 3];
    const sets = [
      ['llm', 'openai'],
      ['proxy', 'none'],
      ['llm', 'anthropic'],
    ] as const;
    latencies.forEach((ms, i) => {
      const [kind, provider] = sets[i % 3]!;
      const rec = { ...usageRecord({ requestId: `r${i}`, teamId: null, keyId: null, kind, status: 200, attempts: 1 }, 0), provider: provider === 'none' ? null : provider, latencyMs: ms };
      metrics.sink.record(rec);
      h.observe({ kind, provider }, ms / 1000);
    });
    const ours = histogramLines(await metrics.registry.metrics());
    const theirs = histogramLines(await reference.metrics());
    expect(ours.length).toBe(2 + 3 * (BUCKETS.length + 3));
    expect(ours).toEqual(theirs);
  });
});
