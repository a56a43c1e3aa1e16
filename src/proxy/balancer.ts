import { isAvailable } from './health.js';
import type { CompiledRoute, Upstream } from './types.js';

/**
 * Picks the upstream for one attempt: among the upstreams in rotation (not ejected) and not
 * tried yet by this request, by the route's strategy. When every upstream is out, all of
 * them are candidates again (Envoy's "panic mode"): a guess beats a certain 503.
 */
export function pickUpstream(route: CompiledRoute, tried: readonly Upstream[], now: number): Upstream {
  const all = route.upstreams;
  if (all.length === 1) return all[0]!;
  let candidates = all.filter((u) => isAvailable(u, now) && !tried.includes(u));
  if (!candidates.length) candidates = all.filter((u) => !tried.includes(u));
  if (!candidates.length) candidates = all as Upstream[];
  switch (route.strategy) {
    case 'weighted':
      return smoothWeighted(candidates);
    case 'least-connections':
      return leastConnections(route, candidates);
    default:
      return candidates[route.cursor.next++ % candidates.length]!;
  }
}

/** nginx's smooth weighted round-robin: weights 3:1 give a,a,b,a — spread, not bursts. */
function smoothWeighted(candidates: Upstream[]): Upstream {
  let total = 0;
  let best = candidates[0]!;
  for (const u of candidates) {
    u.state.current += u.weight;
    total += u.weight;
    if (u.state.current > best.state.current) best = u;
  }
  best.state.current -= total;
  return best;
}

/** Fewest requests in flight; ties rotate so idle upstreams share the load. */
function leastConnections(route: CompiledRoute, candidates: Upstream[]): Upstream {
  const start = route.cursor.next++ % candidates.length;
  let best = candidates[start]!;
  for (let i = 1; i < candidates.length; i++) {
    const u = candidates[(start + i) % candidates.length]!;
    if (u.state.active < best.state.active) best = u;
  }
  return best;
}
