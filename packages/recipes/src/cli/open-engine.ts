import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Engine, WorkflowStore } from '@fornex-flow/core';
import { CliError } from './cli-error.js';
import { createOwnerId, isDeadLocalOwner } from './owner.js';
import type { CliRecipe } from './recipe-source.js';
import { loadSecretKey } from './secret-key.js';

/** What `openEngine` needs. */
export interface OpenEngineOptions {
  dbPath: string;
  recipes: readonly CliRecipe[];
  /** With a key, steps get a client (`ctx.client`); read-only commands need none. */
  apiKey?: string;
  baseUrl?: string;
  env: NodeJS.ProcessEnv;
  warn: (line: string) => void;
  /** Refuse to create a missing database (read-only commands). */
  mustExist?: boolean;
}

/** An engine over the CLI's SQLite file, with the store it drives. */
export interface OpenedEngine {
  engine: Engine;
  store: WorkflowStore;
  ownerId: string;
}

/** Opens the store and the engine (loaded lazily: `--help` and `recipes` never pay for SQLite). */
export async function openEngine(options: OpenEngineOptions): Promise<OpenedEngine> {
  const { dbPath } = options;
  if (options.mustExist && !existsSync(dbPath))
    throw new CliError(`no database at ${dbPath}: nothing has run yet (or pass --db / FORNEX_FLOW_DB)`, 2);
  const [{ createEngine, createFornexClient }, { sqliteStore }] = await Promise.all([
    import('@fornex-flow/core'),
    import('@fornex-flow/sqlite'),
  ]);
  mkdirSync(dirname(dbPath), { recursive: true });
  let store: WorkflowStore;
  try {
    store = sqliteStore({ path: dbPath });
  } catch (error) {
    throw new CliError(`cannot open the database ${dbPath}: ${(error as Error).message}`);
  }
  const client = options.apiKey
    ? createFornexClient({ apiKey: options.apiKey, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}) })
    : undefined;
  // Only engines that run steps need the key; `show` and `runs` must not create one as a side effect.
  const secretKey = client ? loadSecretKey(dbPath, options.env, options.warn) : undefined;
  const ownerId = createOwnerId();
  const engine = createEngine({ store, client, ownerId, ...(secretKey ? { secretKey } : {}) });
  engine.register(...options.recipes.map((r) => r.recipe));
  return { engine, store, ownerId };
}

/** Frees the leases of runs whose owner was a CLI process of this host that has died (SIGKILL, crash). */
export async function releaseDeadOwners(opened: OpenedEngine): Promise<string[]> {
  const released: string[] = [];
  const active = [
    ...(await opened.engine.list({ status: 'running' })),
    ...(await opened.engine.list({ status: 'waiting' })),
  ];
  for (const run of active) {
    if (!isDeadLocalOwner(run.leaseOwner)) continue;
    await opened.store.releaseLease(run.runId, run.leaseOwner!);
    released.push(run.runId);
  }
  return released;
}
