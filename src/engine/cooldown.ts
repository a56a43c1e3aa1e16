/**
 * Per-target circuit breaker (issue: routing and resilience). A target that fails `failures`
 * times within `windowMs` is cooled down for `cooldownMs`: requests skip it while others can
 * serve. When the cooldown ends it is half-open: exactly one request probes it; success closes
 * the circuit, failure opens it again for another cooldown.
 *
 * In-process state: one instance's view of an upstream's health (as a load balancer's passive
 * health check); never needed for correctness.
 */
export interface CooldownPolicy {
  failures: number;
  windowMs: number;
  cooldownMs: number;
}

export const DEFAULT_COOLDOWN: CooldownPolicy = { failures: 3, windowMs: 60_000, cooldownMs: 30_000 };

type State = { kind: 'closed'; failures: number[] } | { kind: 'open'; until: number } | { kind: 'half-open'; probing: boolean };

export class Cooldowns {
  private readonly states = new Map<string, State>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * May a request go to this target now? In half-open state only the first caller gets `true`
   * (it is the probe); the rest are told to go elsewhere until the probe reports.
   */
  acquire(key: string): boolean {
    const s = this.states.get(key);
    if (!s || s.kind === 'closed') return true;
    if (s.kind === 'open') {
      if (this.now() < s.until) return false;
      this.states.set(key, { kind: 'half-open', probing: true });
      return true;
    }
    if (s.probing) return false;
    s.probing = true;
    return true;
  }

  /** Is the target cooling down (open, or half-open with its probe in flight)? */
  isCooling(key: string): boolean {
    const s = this.states.get(key);
    if (!s || s.kind === 'closed') return false;
    if (s.kind === 'open') return this.now() < s.until;
    return s.probing;
  }

  success(key: string): void {
    const s = this.states.get(key);
    if (s && (s.kind !== 'closed' || s.failures.length)) this.states.set(key, { kind: 'closed', failures: [] });
  }

  failure(key: string, policy: CooldownPolicy = DEFAULT_COOLDOWN): void {
    const t = this.now();
    const s = this.states.get(key);
    if (s?.kind === 'half-open') {
      this.states.set(key, { kind: 'open', until: t + policy.cooldownMs });
      return;
    }
    if (s?.kind === 'open') return;
    const recent = (s?.failures ?? []).filter((f) => t - f < policy.windowMs);
    recent.push(t);
    this.states.set(key, recent.length >= policy.failures ? { kind: 'open', until: t + policy.cooldownMs } : { kind: 'closed', failures: recent });
  }
}
