import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine, type RunInfo, type WorkflowStore } from '@fornex-flow/core';
import { type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import { postgresStore } from '@fornex-flow/postgres';
import { dropSchema, testDatabaseUrl } from '@fornex-flow/postgres/testing';
import { sqliteStore } from '@fornex-flow/sqlite';
import { onTestFinished } from 'vitest';
import { type CliResult, cliEnv, ndjson, type RunningCli, reapChildrenAtEnd, spawnCli } from '../cli/helpers.js';

/** The stores a suite runs on: SQLite always; PostgreSQL when FORNEX_FLOW_PG_URL is set (required under CI). */
export function crashStores(): { name: 'sqlite' | 'postgres'; url?: string }[] {
  const url = testDatabaseUrl('the crash suite on PostgreSQL');
  return url ? [{ name: 'sqlite' }, { name: 'postgres', url }] : [{ name: 'sqlite' }];
}

/** A mock with latency, 5 more servers and domains, slow power and slow password jobs, a database (SQLite file or fresh PostgreSQL schema), and the CLI's env. */
export interface CrashWorld {
  mock: RunningMockServer;
  dir: string;
  /** SQLite file path, or the postgres URL with its schema. */
  db: string;
  outputs: string[];
  spawn(args: string[], extraEnv?: Record<string, string>): RunningCli;
  cli(args: string[]): Promise<CliResult>;
  /** The runs of the database (`fornex-flow runs --json`). */
  runs(): Promise<Record<string, unknown>[]>;
  /** Every run of the database, children included, read in this process through the engine's API (no CLI start). */
  storedRuns(): Promise<RunInfo[]>;
}

/** Latency on every API request, so a kill often lands with a request in flight. */
export const crashMockLatencyMs = 25;

/** Registers a cleanup for the end of the test (a concurrent test passes its context's `onTestFinished`). */
export type OnFinished = (cleanup: () => Promise<void>) => void;

/** Starts a world; everything goes when the test ends (the mock, the folder, the PostgreSQL schema). */
export async function createCrashWorld(
  store: { name: string; url?: string },
  onFinished: OnFinished = onTestFinished,
): Promise<CrashWorld> {
  const mock = await startMockServer({
    port: 0,
    scale: 5,
    latencyMs: crashMockLatencyMs,
    powerDelayMs: 8_000,
    jobCompleteAfterPolls: 20,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'fornex-flow-proof-'));
  const schema = `proof_${process.pid}_${randomBytes(4).toString('hex')}`;
  const db = store.url ? `${store.url}?schema=${schema}` : path.join(dir, 'runs.db');
  // A test that failed or timed out may leave a worker behind: it must not outlive the test.
  const reaped = reapChildrenAtEnd((cleanup) => onFinished(async () => cleanup()));
  onFinished(async () => {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
    if (store.url) await dropSchema(store.url, schema);
  });
  // PostgreSQL has no key file beside it: the secret key comes from the environment there.
  const secretKey = store.url ? { FORNEX_FLOW_SECRET_KEY: randomBytes(32).toString('base64') } : undefined;
  const env = cliEnv(mock, db, secretKey);
  const outputs: string[] = [];
  const spawn = (args: string[], extraEnv: Record<string, string> = {}) =>
    reaped(spawnCli(args, { ...env, ...extraEnv }, outputs));
  return {
    mock,
    dir,
    db,
    outputs,
    spawn,
    cli: (args) => spawn(args).exited,
    runs: async () => ndjson((await spawn(['--json', 'runs']).exited).stdout),
    storedRuns: async () => {
      const runStore: WorkflowStore = store.url
        ? postgresStore({ connectionString: store.url, schema })
        : sqliteStore({ path: db });
      // No client: this engine only reads (it runs no step and takes no run over).
      const engine = createEngine({ store: runStore, takeoverIntervalMs: 0 });
      try {
        return await engine.list();
      } finally {
        await engine.close();
      }
    },
  };
}
