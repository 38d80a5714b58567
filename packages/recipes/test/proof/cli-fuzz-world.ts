import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine, type HistoryEntry, type RunInfo } from '@fornex-flow/core';
import { PERSONAL_API_KEY, type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import { sqliteStore } from '@fornex-flow/sqlite';
import { cliEnv, type RunningCli, spawnCli, testRecipesPath } from '../cli/helpers.js';

/** One mock (with latency, so kills land mid-request) and one SQLite file, shared by a whole command sequence. */
export interface FuzzWorld {
  mock: RunningMockServer;
  dbPath: string;
  /** Every output of every CLI process. */
  outputs: string[];
  spawn(args: string[]): RunningCli;
  /** Every run of the database (children included) with its history, read through the engine's API. */
  runs(): Promise<{ run: RunInfo; history: HistoryEntry[] }[]>;
  /** The mock's request journal (`GET /__mock/requests`) and how many entries it can hold. */
  journal(): Promise<{ capacity: number; count: number; requests: JournalEntry[] }>;
  /** The personal tenant's SSH keys, through the API the recipes use (`GET /api/ssh_keys/`). */
  sshKeys(): Promise<{ id: number; title: string }[]>;
  close(): Promise<void>;
}

/** One request of the mock's journal (the fields the fuzz reads). */
export interface JournalEntry {
  method: string;
  path: string;
  body: string | null;
  status: number | null;
}

/** Latency of every API request of the fuzz's mock. */
export const fuzzMockLatencyMs = 15;
/** More latency on the key add (a fault rule of the mock's admin API). */
const keyAddDelayMs = 300;

/** Starts a world; `close()` removes it. */
export async function createFuzzWorld(): Promise<FuzzWorld> {
  const mock = await startMockServer({ port: 0, latencyMs: fuzzMockLatencyMs });
  // The run's one effect takes longer than the rest, so a kill often lands with it in flight.
  const slowAdd = { method: 'POST', path: '/api/ssh_keys/add/', delayMs: keyAddDelayMs };
  await fetch(`${mock.url}/__mock/faults`, { method: 'POST', body: JSON.stringify(slowAdd) });
  const dir = mkdtempSync(path.join(tmpdir(), 'fornex-flow-fuzz-'));
  const dbPath = path.join(dir, 'runs.db');
  const env = cliEnv(mock, dbPath, { FORNEX_FLOW_RECIPES: testRecipesPath });
  const outputs: string[] = [];
  return {
    mock,
    dbPath,
    outputs,
    spawn: (args) => spawnCli(args, env, outputs),
    runs: async () => {
      // No client: this engine only reads (it runs no step and takes no run over).
      const engine = createEngine({ store: sqliteStore({ path: dbPath }), takeoverIntervalMs: 0 });
      try {
        const runs = await engine.list();
        return await Promise.all(runs.map(async (run) => ({ run, history: await engine.history(run.runId) })));
      } finally {
        await engine.close();
      }
    },
    journal: async () => (await (await fetch(`${mock.url}/__mock/requests?limit=1000`)).json()) as never,
    sshKeys: async () =>
      (await (await fetch(`${mock.url}/api/ssh_keys/?apikey=${PERSONAL_API_KEY}`)).json()) as {
        id: number;
        title: string;
      }[],
    close: async () => {
      await mock.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
