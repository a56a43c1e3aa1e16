import { describe, expect, it } from 'vitest';
import { Cooldowns } from '../../src/engine/cooldown.js';
import { cacheKey, MemoryResponseCache } from '../../src/engine/response-cache.js';
import type { Route } from '../../src/engine/route.js';
import type { AliasTarget, ProviderRuntime } from '../../src/engine/runtime.js';
import { TargetSelector } from '../../src/engine/strategy.js';

const provider = (name: string) => ({ config: { name } }) as unknown as ProviderRuntime;
const target = (name: string, weight = 1, unitPrice?: number): AliasTarget => ({ provider: provider(name), model: 'm', weight, ...(unitPrice !== undefined && { unitPrice }) });
const route = (strategy: Route['strategy'], targets: AliasTarget[]): Route => ({ requested: 'alias', alias: 'alias', strategy, targets });

function spread(sel: TargetSelector, r: Route, n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const first = sel.order(r)[0]!.provider.config.name;
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return counts;
}

describe('target selection strategies', () => {
  it('fallback keeps the configured order', () => {
    const r = route('fallback', [target('a'), target('b'), target('c')]);
    expect(new TargetSelector().order(r).map((t) => t.provider.config.name)).toEqual(['a', 'b', 'c']);
  });

  it('round-robin rotates the first target and keeps the others as fallbacks', () => {
    const sel = new TargetSelector();
    const r = route('round-robin', [target('a'), target('b'), target('c')]);
    expect(sel.order(r).map((t) => t.provider.config.name)).toEqual(['a', 'b', 'c']);
    expect(sel.order(r).map((t) => t.provider.config.name)).toEqual(['b', 'c', 'a']);
    expect(sel.order(r).map((t) => t.provider.config.name)).toEqual(['c', 'a', 'b']);
    expect(spread(sel, r, 999)).toEqual({ a: 333, b: 333, c: 333 });
  });

  it('weighted spreads 1,000 requests in proportion to the weights (3:1)', () => {
    const counts = spread(new TargetSelector(), route('weighted', [target('a', 3), target('b', 1)]), 1000);
    expect(counts).toEqual({ a: 750, b: 250 });
  });

  it('least-latency prefers unmeasured targets, then the fastest window', () => {
    const sel = new TargetSelector();
    const a = target('a');
    const b = target('b');
    const r = route('least-latency', [a, b]);
    sel.observe(a, 50);
    expect(sel.order(r)[0]).toBe(b); // b never measured
    sel.observe(b, 200);
    expect(sel.order(r)[0]).toBe(a);
    for (let i = 0; i < 20; i++) sel.observe(a, 500); // a slowed down: the window forgets the old 50 ms
    expect(sel.order(r)[0]).toBe(b);
  });

  it('cheapest orders by catalog price, unknown prices last', () => {
    const r = route('cheapest', [target('dear', 1, 12_500_000), target('unknown'), target('cheap', 1, 750_000)]);
    expect(new TargetSelector().order(r).map((t) => t.provider.config.name)).toEqual(['cheap', 'dear', 'unknown']);
  });
});

describe('cooldowns (circuit breaker)', () => {
  it('opens after N failures in the window, lets one probe through when it ends, closes on success', () => {
    let now = 0;
    const c = new Cooldowns(() => now);
    const policy = { failures: 3, windowMs: 10_000, cooldownMs: 5_000 };
    c.failure('t', policy);
    c.failure('t', policy);
    expect(c.acquire('t')).toBe(true);
    c.failure('t', policy);
    expect(c.acquire('t')).toBe(false);
    now = 5_001;
    expect(c.acquire('t')).toBe(true); // the probe
    expect(c.acquire('t')).toBe(false); // others wait for it
    c.success('t');
    expect(c.acquire('t')).toBe(true);
    expect(c.isCooling('t')).toBe(false);
  });

  it('a failed probe opens the circuit again; old failures fall out of the window', () => {
    let now = 0;
    const c = new Cooldowns(() => now);
    const policy = { failures: 2, windowMs: 1_000, cooldownMs: 1_000 };
    c.failure('t', policy);
    now = 2_000;
    c.failure('t', policy); // the first one is outside the window
    expect(c.acquire('t')).toBe(true);
    c.failure('t', policy);
    expect(c.acquire('t')).toBe(false);
    now = 3_001;
    expect(c.acquire('t')).toBe(true);
    c.failure('t', policy);
    expect(c.isCooling('t')).toBe(true);
  });
});

describe('response cache', () => {
  it('keys on the team and the normalised body; entries expire', async () => {
    expect(cacheKey('t1', { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(cacheKey('t1', { b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(cacheKey('t1', { a: 1 })).not.toBe(cacheKey('t2', { a: 1 }));
    expect(cacheKey('t1', { a: 1 }, 'openai:chat')).not.toBe(cacheKey('t1', { a: 1 }, 'anthropic:chat'));
    let now = 0;
    const cache = new MemoryResponseCache(10, () => now);
    await cache.set('k', { body: '{}', headers: {} }, 2);
    expect(await cache.get('k')).toEqual({ body: '{}', headers: {} });
    now = 2_001;
    expect(await cache.get('k')).toBeUndefined();
  });
});
