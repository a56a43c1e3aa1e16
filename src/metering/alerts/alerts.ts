import type { Redis } from 'ioredis';
import { Agent } from 'undici';
import { redactSecrets } from '../../engine/errors.js';
import type { AlertSettings } from '../../engine/runtime.js';
import { SPEND, type SettledBudget } from '../limits/admission.js';
import type { Counters } from '../limits/counters.js';
import { periodOf } from '../limits/limits.js';
import type { Store } from '../../storage/ports.js';
import type { UsageRecord, UsageSink } from '../usage-record.js';
import { budgetAlert, renderBody, spikeAlert, type Alert } from './payload.js';
import { createAlertStore } from './store.js';
import { createMemoryTally, createRedisTally, teamSpendSince } from './tally.js';
import { budgetAlertId, periodBounds, reachedThresholds, spikeAlertId, spikeWindow } from './thresholds.js';
import { deliver, prepareWebhook, type PreparedWebhook, type RetryPolicy } from './webhook.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AlertsOptions {
  /** The snapshot in force's `alerts` (a config reload changes them at once). */
  settings: () => AlertSettings;
  store: Pick<Store, 'alerts' | 'usage'>;
  /** The counters' Redis: the settled-spend tally is shared by every instance. */
  redis?: Redis;
  /** The snapshot's secrets (redacted from every stored or logged error). */
  secrets: () => readonly string[];
  log: () => Log | undefined;
  now?: () => number;
  /** Per try (default 10 s). */
  timeoutMs?: number;
}

export interface Alerts {
  /** admission's `onSettled`: queues the check, returns at once. */
  onSettled(budgets: readonly SettledBudget[], rec: UsageRecord): void;
  /** Spend spikes: a usage sink (every team's settled cost); returns at once without `spend_spike`. */
  sink: UsageSink;
  /** Counters for `rebuildCounters` that also seed the settled-spend tally from the ledger. */
  seeding(counters: Pick<Counters, 'seed'>): Pick<Counters, 'seed'>;
  /** Seeds the spike window in progress from the ledger (start, reload). */
  seedSpikes(): Promise<void>;
  /** Resolves once nothing is queued or being delivered (tests). */
  idle(): Promise<void>;
  /** No new checks or retries; tries in flight get `graceMs`, then are aborted; undelivered rows become `failed`. */
  close(graceMs?: number): Promise<void>;
}

type Item = { kind: 'budget'; budgets: readonly SettledBudget[]; teamId: string | null; keyId: string | null; nanos: number } | { kind: 'spike'; teamId: string; nanos: number; time: number };

const DAY = 86_400_000;
/** Checks waiting (a slow Redis): beyond this, new ones are dropped — alerts never hold memory hostage. */
const MAX_QUEUE = 50_000;
/** Alert ids this process already claimed or saw claimed: no second insert attempt. */
const MAX_REMEMBERED = 10_000;

/**
 * Budget alerts (docs/alerts.md): after a request settled, its real cost is added to a
 * settled-spend tally per budget period (and per spike window); a threshold reached for the
 * first time is claimed in `alert_deliveries` (one insert, only then) and POSTed to every
 * webhook, signed, with retries. All of it runs after the response, off the request path:
 * nothing here can delay or fail a client's request.
 */
export function createAlerts(opts: AlertsOptions): Alerts {
  const { settings } = opts;
  const now = opts.now ?? Date.now;
  const store = createAlertStore(opts.store.alerts);
  const tally = opts.redis ? createRedisTally(opts.redis) : createMemoryTally(now);
  const agent = new Agent({ connections: 4, keepAliveTimeout: 10_000 });
  // Webhooks and retries as configured now, prepared once per snapshot's settings.
  let prepared: { of: AlertSettings; hooks: PreparedWebhook[]; policy: RetryPolicy } | undefined;
  const delivery = () => {
    const s = settings();
    if (prepared?.of !== s) prepared = { of: s, hooks: s.webhooks.map(prepareWebhook), policy: { attempts: s.retry.attempts, backoffMs: s.retry.backoffMs, timeoutMs: opts.timeoutMs ?? 10_000, dispatcher: agent } };
    return prepared;
  };
  const noRetries = new AbortController();
  const abortTries = new AbortController();
  const remembered = new Set<string>();
  const deliveries = new Set<Promise<void>>();
  let queue: Item[] = [];
  let running: Promise<void> | undefined;
  let closed = false;
  let droppedWarned = false;

  const redact = (text: string) => redactSecrets(text, opts.secrets());
  const report = (what: string) => (err: unknown) => opts.log()?.error({ err: { message: redact((err as Error).message ?? String(err)) } }, what);

  const push = (item: Item) => {
    if (closed) return;
    if (queue.length >= MAX_QUEUE) {
      if (!droppedWarned) opts.log()?.warn({ queued: queue.length }, 'alerts: checks are queued faster than they run (Redis slow?); some are skipped');
      droppedWarned = true;
      return;
    }
    queue.push(item);
    running ??= run();
  };

  // After the response: the hook runs inside settle, before the last bytes leave.
  const run = async () => {
    await new Promise((r) => setImmediate(r));
    while (queue.length && !closed) {
      const batch = queue;
      queue = [];
      for (const item of batch) {
        try {
          if (item.kind === 'budget') await checkBudgets(item);
          else await checkSpike(item);
        } catch (err) {
          report('alerts: spend check failed')(err);
        }
      }
    }
    running = undefined;
  };

  const checkBudgets = async (item: Extract<Item, { kind: 'budget' }>) => {
    for (const b of item.budgets) {
      const endsAt = periodOf(b.period, b.at).endsAt;
      const spent = await tally.add(b.key, item.nanos, endsAt ? endsAt - b.at + DAY : 0);
      const pcts = b.alertAt ?? settings().budgetThresholds;
      const bounds = periodBounds(b.period, b.at);
      for (const pct of reachedThresholds(spent, b.limitNanos, pcts)) {
        const id = budgetAlertId(b.scope, b.id, b.period, bounds, pct);
        if (remembered.has(id)) continue;
        const teamId = item.teamId ?? b.id;
        await raise(budgetAlert({ id, scope: b.scope, teamId, ...(item.keyId && { keyId: item.keyId }), pct, period: b.period, bounds, spentNanos: spent, limitNanos: b.limitNanos, now: now() }));
      }
    }
  };

  // The window's length is in the key: a reload that changes it starts new sums. The unit too
  // (sums a micro-dollar version left in Redis are not read as nano-dollars).
  const spikeKey = (teamId: string, windowMs: number, startMs: number) => `spike-nanos:${windowMs}:${teamId}:${startMs}`;
  const checkSpike = async (item: Extract<Item, { kind: 'spike' }>) => {
    const spike = settings().spendSpike;
    if (!spike) return;
    const w = spikeWindow(spike.windowMs, item.time);
    const spent = await tally.add(spikeKey(item.teamId, spike.windowMs, w.startMs), item.nanos, 2 * spike.windowMs);
    if (spent <= spike.nanos) return;
    const id = spikeAlertId(item.teamId, spike.windowMs, w.startMs);
    if (remembered.has(id)) return;
    await raise(spikeAlert({ id, teamId: item.teamId, windowMs: spike.windowMs, startMs: w.startMs, spentNanos: spent, limitNanos: spike.nanos, now: now() }));
  };

  const raise = async (alert: Alert) => {
    // Webhooks removed by a reload: the tallies keep counting, nothing is raised meanwhile.
    if (!settings().webhooks.length) return;
    let claimed: boolean;
    try {
      claimed = await store.claim(alert, now());
    } catch (err) {
      // Not remembered: the next settled request tries again.
      return report('alerts: could not record an alert (storage)')(err);
    }
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.add(alert.id);
    if (!claimed) return; // raised already: by another instance, or before a restart
    opts.log()?.info({ alert: alert.id }, 'alert raised');
    const d: Promise<void> = send(alert)
      .catch(report('alerts: delivery failed'))
      .finally(() => deliveries.delete(d));
    deliveries.add(d);
  };

  const send = async (alert: Alert) => {
    const { hooks, policy } = delivery();
    let attempts = 0;
    // Each webhook's latest failure (cleared when it accepts): `last_error` joins them.
    const errors: (string | undefined)[] = hooks.map(() => undefined);
    const lastError = () => errors.filter(Boolean).join('; ') || null;
    // One write at a time, in order: the final status is the last one stored.
    let saving = Promise.resolve();
    const save = (status: 'pending' | 'delivered' | 'failed') => {
      const error = lastError();
      saving = saving.then(() => store.update(alert.id, status, attempts, error)).catch(report('alerts: could not record a delivery (storage)'));
      return saving;
    };
    const results = await Promise.all(
      hooks.map((hook, i) =>
        deliver(hook, alert.id, renderBody(alert, hook.format), policy, { retries: noRetries.signal, requests: abortTries.signal }, (o) => {
          attempts++;
          errors[i] = o.error && redact(o.error);
          save('pending');
        }).then((r) => {
          // Retries cut short by shutdown: say so (the row is final).
          if (r.abandoned && !errors[i]?.includes('abandoned')) errors[i] = `${errors[i] ?? `${hook.label}: not sent`} (abandoned: the gateway closed)`;
          return r;
        }),
      ),
    );
    const failed = results.some((r) => !r.ok);
    await save(failed ? 'failed' : 'delivered');
    if (failed) opts.log()?.warn({ alert: alert.id, attempts, error: lastError() }, 'alert not delivered');
    else opts.log()?.info({ alert: alert.id, attempts }, 'alert delivered');
  };

  return {
    onSettled(budgets, rec) {
      push({ kind: 'budget', budgets, teamId: rec.teamId, keyId: rec.keyId, nanos: rec.costNanos });
    },
    sink: {
      record(rec: UsageRecord) {
        if (rec.costNanos > 0 && rec.teamId && settings().spendSpike) push({ kind: 'spike', teamId: rec.teamId, nanos: rec.costNanos, time: rec.time });
      },
    },
    seeding(counters) {
      return {
        async seed(key, value, ttlMs) {
          if (key.startsWith(SPEND)) await tally.seed(key, value, ttlMs);
          await counters.seed(key, value, ttlMs);
        },
      };
    },
    async seedSpikes() {
      const spike = settings().spendSpike;
      if (!spike) return;
      const w = spikeWindow(spike.windowMs, now());
      for (const { teamId, nanos } of await teamSpendSince(opts.store.usage, w.startMs)) await tally.seed(spikeKey(teamId, spike.windowMs, w.startMs), nanos, 2 * spike.windowMs);
    },
    async idle() {
      while (running || deliveries.size) {
        await running;
        await Promise.all([...deliveries]);
      }
    },
    async close(graceMs = 2000) {
      if (closed) return;
      closed = true;
      queue = [];
      noRetries.abort();
      if (deliveries.size) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all([...deliveries]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
      }
      abortTries.abort();
      await Promise.all([...deliveries]);
      await running;
      await agent.destroy().catch(() => {});
    },
  };
}
