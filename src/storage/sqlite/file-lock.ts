import Database from 'better-sqlite3';

export interface FileLock {
  release(): void;
}

/**
 * An exclusive lock on `lockPath` between processes (and between connections of one process),
 * or undefined if another holder kept it for `waitMs`. It is a kernel file lock taken through
 * SQLite (`BEGIN EXCLUSIVE` on the lock file, the transaction left open until `release()`), so a
 * process that dies — `kill -9` included — releases it with its file descriptors: a stale lock
 * is simply free, with no pid to check (wrong across containers, each with its own pid 1, and
 * after pid reuse). It works wherever the database does (one kernel; SQLite's WAL needs that
 * too). Lock files are never deleted: unlinking a lock file another process is opening would let
 * two hold "the" lock.
 */
export function lockFile(lockPath: string, waitMs = 0): FileLock | undefined {
  const db = new Database(lockPath, { timeout: waitMs });
  try {
    db.pragma('journal_mode = MEMORY'); // nothing is ever written: no journal file beside the lock
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw err;
  }
  return {
    release() {
      if (db.open) db.close(); // closing ends the transaction and drops the file lock
    },
  };
}
