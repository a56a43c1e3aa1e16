/**
 * `/metrics` labels: model names are the client's choice, so only configured or catalogued
 * models get a label of their own; every other name is `other` (bounded label cardinality).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { startOpenAIMock } from '../mocks/openai.js';

let up: HttpMock;
let gw: TestGateway;
beforeAll(async () => {
  up = await startOpenAIMock();
  gw = await startGateway(`
providers:
  mock: { type: mock }
  oai: { type: openai, api_key: "sk-metrics-test-123456", base_url: "${up.url}/v1" }
models:
  house: { targets: [mock/house-model-1] }
`);
});
afterAll(async () => {
  await gw?.close();
  await up?.close();
});

const chat = async (model: string) => {
  const r = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'count these words' }] }),
  });
  expect(r.status, model).toBe(200);
  await r.arrayBuffer();
};

/** label values of `model` on one metric family. */
async function modelLabels(metric: string): Promise<Set<string>> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const m = /model="((?:[^"\\]|\\.)*)"/.exec(line);
    if (m) out.add(m[1]!);
  }
  return out;
}

describe('/metrics model label cardinality', () => {
  it('500 random model names → label values stay bounded; configured, alias and catalogued models keep their names', async () => {
    const known = ['mock/echo', 'house', 'oai/gpt-4o-mini', 'gpt-4o-mini'];
    for (const m of known) await chat(m);
    const names = Array.from({ length: 500 }, (_, i) => `${i % 2 ? 'mock' : 'oai'}/rnd-${randomBytes(6).toString('hex')}`);
    for (let i = 0; i < names.length; i += 25) await Promise.all(names.slice(i, i + 25).map(chat));
    await until(() => gw.records.length >= known.length + names.length, 10_000);
    // The upstream really was asked for the random names (the gateway did not refuse them).
    expect(up.requests.filter((r) => String(r.body?.model).startsWith('rnd-')).length).toBe(250);

    const tokens = await modelLabels('tollgate_tokens_total');
    expect([...tokens].sort()).toEqual(['echo', 'gpt-4o-mini', 'house-model-1', 'other']);
    const cost = await modelLabels('tollgate_cost_usd_nanos_total');
    for (const l of cost) expect(['gpt-4o-mini', 'other']).toContain(l);
    expect(cost.has('gpt-4o-mini')).toBe(true);
    // No random name anywhere in the exposition.
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).not.toMatch(/rnd-/);
    // The `other` series counts every random request's tokens (both directions).
    const other = text.split('\n').filter((l) => l.startsWith('tollgate_tokens_total{') && l.includes('model="other"') && l.includes('direction="input"'));
    const otherInput = other.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    const randomInput = gw.records.filter((r) => r.model?.startsWith('rnd-')).reduce((n, r) => n + r.inputTokens, 0);
    expect(otherInput).toBe(randomInput);
    expect(randomInput).toBeGreaterThan(0);
  });
});
