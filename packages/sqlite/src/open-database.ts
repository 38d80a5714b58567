import Database from 'better-sqlite3';

const retryPauseMs = 5;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Opens the database at `path` in WAL mode with a busy timeout. Switching a file to WAL can answer
 * "database is locked" at once, without SQLite's busy handler, while another process opens the
 * same new file: the switch is tried again until the busy timeout has passed.
 */
export function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(path);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const giveUpAt = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return db;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) {
        db.close();
        throw error;
      }
      // The store's API is synchronous: a short blocking pause, not a timer.
      Atomics.wait(pause, 0, 0, retryPauseMs);
    }
  }
}
