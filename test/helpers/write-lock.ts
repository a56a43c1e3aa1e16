import Database from 'better-sqlite3';

/**
 * Holds SQLite's write lock on `dbPath` while `fn` runs: no batch commit can land in between,
 * however slowly the test is scheduled, so a record is certainly only spooled meanwhile.
 */
export async function withWriteLockHeld<T>(dbPath: string, fn: () => Promise<T>): Promise<T> {
  const db = new Database(dbPath);
  db.exec('BEGIN IMMEDIATE');
  try {
    return await fn();
  } finally {
    db.exec('ROLLBACK');
    db.close();
  }
}
