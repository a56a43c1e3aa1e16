import type { Route } from './route.js';
import type { AliasTarget } from './runtime.js';

/**
 * Orders a route's targets for one request (docs/contract.md §2 `strategy`). The first target is the one
 * chosen; the rest are the fallbacks, in the order they will be tried. State (round-robin
 * positions, weighted-round-robin credits, latency windows) lives in this process: it shapes
 * the spread, it is never needed for correctness, so instances need not share it (docs/architecture.md §7).
 */
export class TargetSelector {
  private readonly rr = new Map<string, number>();
  private readonly wrr = new Map<string, number[]>();
  private readonly latency = new Map<string, LatencyWindow>();

  order(route: Route): AliasTarget[] {
    const targets = route.targets;
    if (targets.length < 2) return targets as AliasTarget[];
    const key = route.alias ?? route.requested;
    switch (route.strategy) {
      case 'round-robin': {
        const i = this.rr.get(key) ?? 0;
        this.rr.set(key, (i + 1) % targets.length);
        return rotate(targets, i);
      }
      case 'weighted':
        return this.weighted(key, targets);
      case 'least-latency':
        return [...targets].sort((a, b) => this.expectedLatency(a) - this.expectedLatency(b));
      case 'cheapest':
        return [...targets].sort((a, b) => (a.unitPrice ?? Infinity) - (b.unitPrice ?? Infinity));
      default:
        return targets as AliasTarget[];
    }
  }

  /** Feeds the least-latency window: time to the upstream's status line, successful attempts only. */
  observe(target: AliasTarget, ms: number): void {
    const k = targetKey(target);
    let w = this.latency.get(k);
    if (!w) this.latency.set(k, (w = new LatencyWindow(20)));
    w.add(ms);
  }

  /** Unmeasured targets count as fastest, so each gets tried and measured. */
  private expectedLatency(t: AliasTarget): number {
    return this.latency.get(targetKey(t))?.mean() ?? 0;
  }

  /**
   * Smooth weighted round-robin (nginx's): over any window of Σweights picks, each target is
   * chosen exactly in proportion to its weight, interleaved rather than in bursts.
   */
  private weighted(key: string, targets: readonly AliasTarget[]): AliasTarget[] {
    let credits = this.wrr.get(key);
    if (!credits || credits.length !== targets.length) this.wrr.set(key, (credits = targets.map(() => 0)));
    const total = targets.reduce((s, t) => s + t.weight, 0);
    let best = 0;
    for (let i = 0; i < targets.length; i++) {
      credits[i]! += targets[i]!.weight;
      if (credits[i]! > credits[best]!) best = i;
    }
    credits[best]! -= total;
    const chosen = targets[best]!;
    // fallbacks: the others, heaviest first
    return [chosen, ...targets.filter((_, i) => i !== best).sort((a, b) => b.weight - a.weight)];
  }
}

export const targetKey = (t: AliasTarget): string => `${t.provider.config.name}/${t.model}`;

function rotate<T>(xs: readonly T[], i: number): T[] {
  return [...xs.slice(i), ...xs.slice(0, i)];
}

/** Mean of the last `size` samples (a moving window, so a recovered target is noticed). */
class LatencyWindow {
  private readonly samples: number[] = [];
  private next = 0;
  private sum = 0;
  constructor(private readonly size: number) {}
  add(ms: number): void {
    if (this.samples.length < this.size) this.samples.push(ms);
    else {
      this.sum -= this.samples[this.next]!;
      this.samples[this.next] = ms;
      this.next = (this.next + 1) % this.size;
    }
    this.sum += ms;
  }
  mean(): number {
    return this.samples.length ? this.sum / this.samples.length : 0;
  }
}
