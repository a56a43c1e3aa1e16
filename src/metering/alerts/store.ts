import type { AlertsRepo, DeliveryStatus } from '../../storage/ports.js';
import type { Alert } from './payload.js';

export type { DeliveryStatus };

/**
 * `alert_deliveries`: one row per alert ever raised. Inserting the row is the claim — INSERT …
 * ON CONFLICT DO NOTHING on the alert's id — so of every instance sharing the database (and every
 * restart) exactly one sends a given alert; the row then keeps its delivery state.
 */
export interface AlertStore {
  /** true when this call created the row: the caller delivers the alert. */
  claim(alert: Alert, now: number): Promise<boolean>;
  /** After each try; `status` final (delivered / failed) or still pending. */
  update(id: string, status: DeliveryStatus, attempts: number, lastError: string | null): Promise<void>;
  /** Rows of this process still pending at shutdown become `failed` with that reason. */
  abandon(id: string, attempts: number, lastError: string): Promise<void>;
}

export function createAlertStore(repo: AlertsRepo): AlertStore {
  return {
    claim(alert, now) {
      const scopeId = alert.scope === 'key' ? alert.key_id! : alert.team_id;
      return repo.claim({ id: alert.id, time: now, scope: alert.scope, scopeId, kind: alert.type, payload: JSON.stringify(alert), status: 'pending', attempts: 0, lastError: null });
    },
    update: (id, status, attempts, lastError) => repo.update(id, status, attempts, lastError),
    abandon: (id, attempts, lastError) => repo.abandon(id, attempts, lastError),
  };
}
