import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Engine, ScheduleStore, WorkflowStore } from '@fornex-flow/core';
import { CliError, usageError } from '../cli-error.js';
import type { CliRecipe } from '../input/recipe-source.js';
import { createOwnerId, isDeadLocalOwner } from './owner.js';
import { loadSecretKey, secretKeyFromEnv } from './secret-key.js';

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
  const onPostgres = isPostgresUrl(dbPath);
  if (options.mustExist && !onPostgres && !existsSync(dbPath))
    throw new CliError(`no database at ${dbPath}: nothing has run yet (or pass --db / FORNEX_FLOW_DB)`, 2);
  const [{ createEngine, createFornexClient }, store] = await Promise.all([
    import('@fornex-flow/core'),
    onPostgres ? openPostgres(dbPath) : openSqlite(dbPath),
  ]);
  const client = options.apiKey
    ? createFornexClient({ apiKey: options.apiKey, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}) })
    : undefined;
  // Only engines that run steps need the key; `show` and `runs` must not create one as a side effect.
  // On PostgreSQL there is no file to put it beside: it comes from FORNEX_FLOW_SECRET_KEY, or secrets
  // stay in memory (a run that needs one resumes only in the process that started it).
  let secretKey: Buffer | undefined;
  if (client && onPostgres) {
    secretKey = secretKeyFromEnv(options.env);
    if (!secretKey)
      options.warn('warning: no FORNEX_FLOW_SECRET_KEY: on PostgreSQL, secret values are kept in memory only');
  } else if (client) secretKey = loadSecretKey(dbPath, options.env, options.warn);
  const ownerId = createOwnerId();
  // Commands that only read runs must not take any over (the takeover sweep): only engines with a client run steps.
  // The command's process lives as long as its engine: until the command closes it (bin.ts's
  // backstop ends a finished command that did not).
  const engine = createEngine({
    store,
    client,
    ownerId,
    keepAlive: true,
    ...(secretKey ? { secretKey } : {}),
    ...(client ? {} : { takeoverIntervalMs: 0 }),
  });
  engine.register(...options.recipes.map((r) => r.recipe));
  return { engine, store, ownerId };
}

/** True when `--db` names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

async function openSqlite(dbPath: string): Promise<WorkflowStore> {
  const { sqliteStore } = await import('@fornex-flow/sqlite');
  mkdirSync(dirname(dbPath), { recursive: true });
  try {
    return sqliteStore({ path: dbPath });
  } catch (error) {
    throw new CliError(`cannot open the database ${dbPath}: ${(error as Error).message}`);
  }
}

/** The schedules of the runs database `db` (a SQLite file or a postgres:// URL). */
export async function openScheduleStore(db: string): Promise<ScheduleStore> {
  if (isPostgresUrl(db)) {
    const { postgresScheduleStore } = await import('@fornex-flow/postgres');
    const { connectionString, schema } = postgresTarget(db);
    return postgresScheduleStore({ connectionString, ...(schema ? { schema } : {}) });
  }
  const { sqliteScheduleStore } = await import('@fornex-flow/sqlite');
  mkdirSync(dirname(db), { recursive: true });
  return sqliteScheduleStore({ path: db });
}

// `?schema=name` picks the schema (several deployments in one database), `?asyncCommits=false`
// makes every commit wait for its flush (see docs/scaling.md); the rest goes to the driver.
function postgresTarget(url: string): { connectionString: string; schema?: string; asyncCommits?: boolean } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  const asyncCommits = parsed.searchParams.get('asyncCommits') ?? undefined;
  if (asyncCommits !== undefined && asyncCommits !== 'true' && asyncCommits !== 'false')
    throw usageError(`asyncCommits in the database URL must be true or false, not ${JSON.stringify(asyncCommits)}`);
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('asyncCommits');
  return {
    connectionString: parsed.href,
    ...(schema ? { schema } : {}),
    ...(asyncCommits ? { asyncCommits: asyncCommits === 'true' } : {}),
  };
}

// The connection is checked here (migrations applied), so a wrong URL is one clear line, not a
// failure in the middle of a command. The URL's password never appears in the message.
async function openPostgres(url: string): Promise<WorkflowStore> {
  const { postgresStore } = await import('@fornex-flow/postgres');
  const store = postgresStore(postgresTarget(url));
  try {
    await store.unfinishedRuns();
  } catch (error) {
    await Promise.resolve(store.close()).catch(() => {});
    const shown = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    throw new CliError(`cannot open the database ${shown}: ${(error as Error).message}`);
  }
  return store;
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
