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
  /**
   * Write transactions between checkpoint requests (64); the worker starts at the first request.
   * Each request wakes the worker, which showed as 4 % of one run's time at 16; pages rewritten
   * by many transactions are copied once per checkpoint, so fewer requests also copy less.
   */
  everyTransactions?: number;
}

// CommonJS, evaluated in the worker: a file next to this module would not exist when the engine
// runs from TypeScript sources (tests), and the driver's path is resolved by the caller. Requests
// arrive through a shared counter, not messages: a postMessage per request was 4-7 % of the main
// thread's time with one run committing step after step; an Atomics.notify costs a futex wake at
// most. The worker does nothing else, so it blocks in Atomics.wait between requests.
const workerSource = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const signal = new Int32Array(workerData.signal);
let seen = 0;
for (;;) {
  Atomics.wait(signal, 0, seen);
  if (Atomics.load(signal, 1) === 1) break;
  seen = Atomics.load(signal, 0);
  // PASSIVE never waits for the writer; a busy or failed checkpoint is simply tried again next time.
  try { checkpoint.run(); } catch {}
}
db.close();
`;

const driverPath = () => createRequire(import.meta.url).resolve('better-sqlite3');

/** A checkpointer for the WAL database at `path` (already in WAL mode). */
export function createBackgroundCheckpointer(
  path: string,
  options: BackgroundCheckpointOptions = {},
): BackgroundCheckpointer {
  const every = options.everyTransactions ?? 64;
  let transactions = 0;
  let worker: Worker | undefined;
  let stopped = false;
  // [0] counts requests (the worker waits for it to change), [1] is 1 once the worker must stop.
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const start = () => {
    const started = new Worker(workerSource, {
      eval: true,
      workerData: { driver: driverPath(), path, signal: signal.buffer },
    });
    // The worker never keeps the process alive, and its failure only leaves checkpoints to the writer.
    started.unref();
    started.on('error', () => {
      stopped = true;
    });
    return started;
  };
  const wake = () => {
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  return {
    wrote() {
      if (stopped || ++transactions < every) return;
      transactions = 0;
      worker ??= start();
      wake();
    },
    close() {
      stopped = true;
      if (!worker) return;
      Atomics.store(signal, 1, 1);
      wake();
      worker = undefined;
    },
  };
}
