import { request } from 'undici';
import type { CompiledRoute, RouteTable, Upstream } from './types.js';

/**
 * Upstream health, two ways. Passive: consecutive failures of real requests (connection
 * errors, 502/503/504, timeouts) eject an upstream; it comes back when an active check
 * passes, or — without active checks — after `eject_ms`, on probation (one more failure
 * ejects it again). Active: `health_check.path` polled on every upstream; `unhealthy_threshold`
 * failed checks in a row eject, `healthy_threshold` passed checks readmit.
 */
export function isAvailable(u: Upstream, now: number): boolean {
  const s = u.state;
  if (!s.ejected) return true;
  if (s.ejectedUntil && now >= s.ejectedUntil) {
    s.ejected = false;
    s.ejectedUntil = 0;
    return true;
  }
  return false;
}

export function reportFailure(route: CompiledRoute, u: Upstream, now: number): void {
  const s = u.state;
  s.consecutiveFailures++;
  if (!s.ejected && s.consecutiveFailures >= route.ejection.consecutiveFailures) {
    s.ejected = true;
    s.checkOk = 0;
    // With active checks, the checker readmits; the timer is only the fallback.
    s.ejectedUntil = now + route.ejection.ejectMs;
    // Probation: after readmission one more failure ejects again.
    s.consecutiveFailures = route.ejection.consecutiveFailures - 1;
  }
}

export function reportSuccess(u: Upstream): void {
  u.state.consecutiveFailures = 0;
}

/** Starts the active checks of every route that has one; returns the stop function. */
export function startHealthChecks(table: RouteTable): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const route of table.routes) {
    const hc = route.healthCheck;
    if (!hc) continue;
    for (const u of route.upstreams) {
      let running = false;
      const tick = () => {
        if (running) return;
        running = true;
        void checkOnce(route, u).finally(() => (running = false));
      };
      const t = setInterval(tick, hc.intervalMs);
      t.unref();
      timers.push(t);
      tick();
    }
  }
  return () => timers.forEach(clearInterval);
}

async function checkOnce(route: CompiledRoute, u: Upstream): Promise<void> {
  const hc = route.healthCheck!;
  let ok = false;
  try {
    const res = await request(u.origin + u.basePath + hc.path, {
      dispatcher: route.dispatcher,
      method: 'GET',
      headers: { host: u.host, 'user-agent': 'tollgate-health-check' },
      headersTimeout: hc.timeoutMs,
      bodyTimeout: hc.timeoutMs,
      signal: AbortSignal.timeout(hc.timeoutMs),
    });
    await res.body.dump();
    ok = res.statusCode >= 200 && res.statusCode < 400;
  } catch {
    ok = false;
  }
  const s = u.state;
  if (ok) {
    s.checkFail = 0;
    s.checkOk++;
    if (s.ejected && s.checkOk >= hc.healthyThreshold) {
      s.ejected = false;
      s.ejectedUntil = 0;
      s.consecutiveFailures = 0;
    }
  } else {
    s.checkOk = 0;
    s.checkFail++;
    if (s.checkFail >= hc.unhealthyThreshold) {
      s.ejected = true;
      s.ejectedUntil = 0; // only a passing check readmits
    }
  }
}
