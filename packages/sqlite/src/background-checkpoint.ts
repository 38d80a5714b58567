import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints from a worker thread. SQLite's default is to checkpoint inside the commit that
 * pushes the WAL past 1,000 pages, on the writer's thread: that was about 2 us of every engine step
 * (the event loop copying pages into the database file and syncing it). A second connection in a
 * worker does the same work on another core, while the writer goes on committing; SQLite's WAL
 * mode allows one checkpointer alongside one writer. The writer keeps an automatic checkpoint at a
 * higher threshold as a backstop: if the worker falls behind or dies, the WAL still stays bounded.
 */
export interface BackgroundCheckpointer {
  /** Counts one committed write transaction; every `everyTransactions` it asks the worker for a checkpoint. */
  wrote(): void;
  /** Stops the worker (it closes its connection first). */
  close(): void;
}

/** Options of `createBackgroundCheckpointer`. */
export interface BackgroundCheckpointOptions {
  /** Write transactions between checkpoint requests; the worker starts at the first request. */
  everyTransactions?: number;
}

// CommonJS, evaluated in the worker: a file next to this module would not exist when the engine
// runs from TypeScript sources (tests), and the driver's path is resolved by the caller.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  // PASSIVE never waits for the writer; a busy or failed checkpoint is simply tried again next time.
  try { checkpoint.run(); } catch {}
});
`;

const driverPath = () => createRequire(import.meta.url).resolve('better-sqlite3');

/** A checkpointer for the WAL database at `path` (already in WAL mode). */
export function createBackgroundCheckpointer(
  path: string,
  options: BackgroundCheckpointOptions = {},
): BackgroundCheckpointer {
  const every = options.everyTransactions ?? 16;
  let transactions = 0;
  let worker: Worker | undefined;
  let stopped = false;
  const start = () => {
    const started = new Worker(workerSource, { eval: true, workerData: { driver: driverPath(), path } });
    // The worker never keeps the process alive, and its failure only leaves checkpoints to the writer.
    started.unref();
    started.on('error', () => {
      stopped = true;
    });
    return started;
  };
  return {
    wrote() {
      if (stopped || ++transactions < every) return;
      transactions = 0;
      worker ??= start();
      worker.postMessage('checkpoint');
    },
    close() {
      stopped = true;
      worker?.postMessage('close');
      worker = undefined;
    },
  };
}
