import { and, eq } from 'drizzle-orm';
import type { Db } from '../../storage/sqlite/open.js';
import { alertDeliveries } from '../../storage/sqlite/schema/index.js';
import type { Alert } from './payload.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * `alert_deliveries`: one row per alert ever raised. Inserting the row is the claim — INSERT …
 * ON CONFLICT DO NOTHING on the alert's id — so of every instance sharing the database (and every
 * restart) exactly one sends a given alert; the row then keeps its delivery state.
 */
export interface AlertStore {
  /** true when this call created the row: the caller delivers the alert. */
  claim(alert: Alert, now: number): boolean;
  /** After each try; `status` final (delivered / failed) or still pending. */
  update(id: string, status: DeliveryStatus, attempts: number, lastError: string | null): void;
  /** Rows of this process still pending at shutdown become `failed` with that reason. */
  abandon(id: string, attempts: number, lastError: string): void;
}

export function createAlertStore(db: Db): AlertStore {
  return {
    claim(alert, now) {
      const scope = alert.scope;
      const scopeId = alert.scope === 'key' ? alert.key_id! : alert.team_id;
      const r = db
        .insert(alertDeliveries)
        .values({ id: alert.id, time: now, scope, scopeId, kind: alert.type, payload: JSON.stringify(alert), status: 'pending', attempts: 0, lastError: null })
        .onConflictDoNothing()
        .run();
      return r.changes === 1;
    },
    update(id, status, attempts, lastError) {
      db.update(alertDeliveries).set({ status, attempts, lastError }).where(eq(alertDeliveries.id, id)).run();
    },
    abandon(id, attempts, lastError) {
      db.update(alertDeliveries)
        .set({ status: 'failed', attempts, lastError })
        .where(and(eq(alertDeliveries.id, id), eq(alertDeliveries.status, 'pending')))
        .run();
    },
  };
}
