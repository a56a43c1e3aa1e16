import type { Redis } from 'ioredis';
import type { KeyStore } from '../admin/key-store.js';
import type { AlertSettings } from '../engine/runtime.js';
import type { Alerts } from '../metering/alerts/alerts.js';
import type { AdmissionOptions } from '../metering/limits/admission.js';
import type { Counters } from '../metering/limits/counters.js';
import { rebuildCounters } from '../metering/limits/rebuild.js';
import type { Store } from '../storage/ports.js';
import type { UsageSink } from '../metering/usage-record.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AlertsWiring {
  /** The loaded alerts (undefined until a webhook is configured). */
  readonly current: Alerts | undefined;
  /** Counters for `rebuildCounters` that also seed the alerts' tally once alerts are loaded. */
  seeding: Pick<Counters, 'seed'>;
  /** The spike sink, for the gateway's sinks (only when alerts are loaded or may be by a reload). */
  sink: UsageSink;
  /**
   * Loads alerts when the settings in force have a webhook (at start, after a reload) and seeds
   * their tallies from the ledger (budgets too when `seedBudgets`: at start the counters' rebuild
   * does it through `seeding`).
   */
  sync(seedBudgets: boolean): Promise<void>;
  /** Resolves once no check is queued and no delivery runs (tests). */
  idle(): Promise<void>;
  close(graceMs: number): Promise<void>;
}

/**
 * Budget alerts in the gateway (docs/alerts.md). The module is imported only once a webhook is
 * configured — at start, or by a config reload — so without one nothing of it is loaded and
 * admission has no hook to call. Loading it sets admission's `onSettled` (read at each settle).
 */
export function wireAlerts(deps: {
  store: Store;
  redis?: Redis;
  counters: Counters;
  keys: KeyStore;
  admission: AdmissionOptions;
  settings: () => AlertSettings;
  secrets: () => readonly string[];
  log: () => Log | undefined;
}): AlertsWiring {
  let alerts: Alerts | undefined;
  let loading: Promise<Alerts> | undefined;
  const load = async (): Promise<Alerts> => {
    const { createAlerts } = await import('../metering/alerts/alerts.js');
    const a = createAlerts({ settings: deps.settings, store: deps.store, ...(deps.redis && { redis: deps.redis }), secrets: deps.secrets, log: deps.log });
    alerts = a;
    deps.admission.onSettled = a.onSettled;
    return a;
  };
  return {
    get current() {
      return alerts;
    },
    seeding: {
      seed: (key, value, ttlMs) => (alerts ? alerts.seeding(deps.counters).seed(key, value, ttlMs) : deps.counters.seed(key, value, ttlMs)),
    },
    sink: {
      record(rec) {
        alerts?.sink.record(rec);
      },
    },
    async sync(seedBudgets) {
      if (alerts || !deps.settings().webhooks.length) {
        await alerts?.seedSpikes(); // a reload may have switched spikes on
        return;
      }
      const a = await (loading ??= load());
      // Budgets' settled spend so far, from the ledger (the counters themselves are left alone).
      if (seedBudgets) await rebuildCounters(deps.store.usage, a.seeding({ seed: () => {} }), deps.keys.limitedScopes());
      await a.seedSpikes();
    },
    async idle() {
      await loading;
      await alerts?.idle();
    },
    async close(graceMs) {
      await alerts?.close(graceMs);
    },
  };
}
