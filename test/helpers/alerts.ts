import { createHmac, timingSafeEqual } from 'node:crypto';
import { like } from 'drizzle-orm';
import { expect } from 'vitest';
import { alertDeliveries } from '../../src/storage/sqlite/schema/index.js';
import type { Db } from '../../src/storage/sqlite/open.js';
import { startHttpMock, type HttpMock, type RecordedRequest } from '../mocks/http-mock.js';
import { openaiCompletion } from '../mocks/openai.js';
import { adminCall, chat } from './instance.js';

/**
 * Budget-alert tests: an OpenAI-format upstream on loopback that bills exactly what admission
 * reserves — `openai/alert-model` is priced at $0 input and $1000 per Mtok output (1,000 µ$ a
 * token) and the upstream answers `completion_tokens = max_tokens` — so a call with
 * `max_tokens: n` costs exactly n × 1,000 µ$, and a team can spend its budget to the last µ$
 * (a request whose worst case exceeds what is left is refused with 429).
 */
export const PRICING = `
pricing:
  "openai/alert-model": { input_per_mtok_usd: 0, output_per_mtok_usd: 1000 }
`;

export async function billingUpstream(): Promise<HttpMock> {
  return startHttpMock((req) => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 7, completion_tokens: req.body.max_tokens } }));
}

export function providersYaml(upstream: HttpMock): string {
  return `
providers:
  openai: { type: openai, api_key: "sk-test-alerts-0000", base_url: "${upstream.url}/v1" }
${PRICING}`;
}

/** One call costing `n` × 1,000 µ$ (n thousandths of a dollar); its status and client-side latency. */
export async function spend(url: string, key: string, n: number): Promise<{ status: number; ms: number }> {
  const t = performance.now();
  const r = await chat(url, key, { model: 'openai/alert-model', max_tokens: n, messages: [{ role: 'user', content: 'hi' }] });
  return { status: r.status, ms: performance.now() - t };
}

/** A team (and a key for it) with the given limits. */
export async function team(url: string, name: string, limits: unknown, keyLimits?: unknown): Promise<{ teamId: string; key: string; keyId: string }> {
  const t = await adminCall(url, 'POST', '/admin/teams', { name, limits });
  expect(t.status).toBe(201);
  const k = await adminCall(url, 'POST', '/admin/keys', { team_id: t.json.id, name: `${name}-key`, ...(keyLimits !== undefined && { limits: keyLimits }) });
  expect(k.status).toBe(201);
  return { teamId: t.json.id, key: k.json.key, keyId: k.json.id };
}

/** Checks the signing headers of a received alert (HMAC over "<timestamp>.<raw body>", timestamp fresh). */
export function expectSigned(req: RecordedRequest, secret: string): void {
  const ts = req.headers['x-tollgate-timestamp'] as string;
  expect(ts).toMatch(/^\d+$/);
  expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
  const sig = req.headers['x-tollgate-signature'] as string;
  expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
  const want = createHmac('sha256', secret).update(`${ts}.${req.text}`).digest();
  expect(timingSafeEqual(Buffer.from(sig.slice(7), 'hex'), want)).toBe(true);
  expect(req.headers['x-tollgate-alert-id']).toBe(req.body.id);
  expect(req.headers['content-type']).toBe('application/json');
}

/** The alerts one receiver got for a team (or key), as `threshold_pct` values in arrival order. */
export function pctsFor(receiver: HttpMock, path: string, scopeId: string): number[] {
  return receiver.requests.filter((r) => r.path === path && (r.body.key_id ?? r.body.team_id) === scopeId && r.body.type === 'budget.threshold').map((r) => r.body.threshold_pct);
}

export function deliveryRows(db: Db, idPrefix: string) {
  return db.select().from(alertDeliveries).where(like(alertDeliveries.id, `${idPrefix}%`)).all();
}

/** Start and end of the current UTC month, as the alert body writes them. */
export function monthBounds(now = new Date()): { start: string; end: string; label: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
  return { start, end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(), label: start.slice(0, 10) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
