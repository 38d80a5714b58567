import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type AnyRecipe,
  createEngine,
  createFakeClock,
  createFornexClient,
  type Dialect,
  type Engine,
  type EngineOptions,
  type FakeClock,
  type FornexClient,
  type FornexClientOptions,
  type RunHandle,
  RunStatus,
  runEventNames,
} from '@fornex-flow/core';
import {
  createLinkedMockClock,
  PERSONAL_API_KEY,
  type RunningMockServer,
  type StartMockServerOptions,
  startMockServer,
} from '@fornex-flow/mock-server';
import { sqliteStore } from '@fornex-flow/sqlite';
import { createActivityTracker } from './activity.js';

/** Options of `createTestKit`. */
export interface TestKitOptions<TRecipes extends readonly AnyRecipe[] = readonly AnyRecipe[]> {
  /** The recipes to register (the engine's `start` and `result()` are typed from them). */
  recipes: TRecipes;
  /** Options of the mock server (world, scale, power delay, job completion...); the kit sets port and clock. */
  mock?: Omit<StartMockServerOptions, 'port' | 'clock' | 'dialect'>;
  /** The mock's dialect, also expected by the client (default `en`). */
  dialect?: Dialect;
  /** Where virtual time starts (default 2026-01-01T00:00:00Z). */
  startMs?: number;
  /** The key the client uses (default the mock's PERSONAL_API_KEY). */
  apiKey?: string;
  /** Client options besides key, base URL and dialect (e.g. `{ retry: false }`). */
  client?: Omit<FornexClientOptions, 'apiKey' | 'baseURL' | 'dialect'>;
  /** Engine options besides store, client and clock (e.g. `{ leaseMs }`). */
  engine?: Omit<EngineOptions, 'store' | 'client' | 'clock'>;
  /** Real time a step may stay in flight before virtual time moves on anyway (default 10 s): a hung request. */
  stepWaitMs?: number;
  /** Directory of the SQLite file (a small disk, say); default a fresh temp dir. A given one is left in place by `close()`. */
  dbDir?: string;
}

/** How a run ended, as `finish` reports it. */
export type RunEnd = { status: 'completed'; output: unknown } | { status: 'failed' | 'cancelled'; error: unknown };

/** A mock, an engine over a real SQLite file, a client, and one virtual clock for all of them. */
// biome-ignore lint/suspicious/noExplicitAny: like Engine's own default, an untyped kit starts any recipe.
export interface TestKit<TRecipe extends AnyRecipe = any> {
  /** The engine, typed from the kit's recipes (a new one after `restart()`). */
  readonly engine: Engine<TRecipe>;
  /** A Fornex client of the mock (the engine's `ctx.client`). */
  readonly client: FornexClient;
  /** The running mock server: `url`, `world`, `runtime` (faults, journal). */
  readonly mock: RunningMockServer;
  /** The one virtual clock: the engine's timers and the mock's time. */
  readonly clock: FakeClock;
  /** The SQLite file of the runs. */
  readonly dbPath: string;
  /** Moves virtual time by `ms` for engine and mock together, letting each timer's work finish first. */
  advance(ms: number): Promise<void>;
  /** Resolves once no step is in flight and nothing moves. */
  idle(): Promise<void>;
  /** Advances from deadline to deadline until the run ends (or `maxMs` of virtual time passed); how it ended. */
  finish(run: RunHandle | string, options?: { maxMs?: number }): Promise<RunEnd>;
  /** Closes the engine (as a stop would: in-flight steps are cut off) and opens a new one on the same file, resuming every run. */
  restart(): Promise<Engine<TRecipe>>;
  /** Closes engine and mock, and deletes the temp directory. */
  close(): Promise<void>;
}

/**
 * Starts a test kit: the real mock on port 0, a real SQLite file in a temp dir, the engine with
 * the recipes registered, and one virtual clock, so a ten-minute wait runs in milliseconds.
 * @example const kit = await createTestKit({ recipes }); const run = await kit.engine.start('safe-reboot', { orderId: '34-177054' }); await kit.finish(run);
 */
export async function createTestKit<const TRecipes extends readonly AnyRecipe[]>(
  options: TestKitOptions<TRecipes>,
): Promise<TestKit<TRecipes[number]>> {
  const activity = createActivityTracker(options.stepWaitMs === undefined ? {} : { stepWaitMs: options.stepWaitMs });
  // The engine's fake clock, told to wait for the kit to be idle after each timer: a fired poll's
  // HTTP call and the next timer it sets happen before time moves on.
  const clock = createFakeClock(options.startMs ?? Date.UTC(2026, 0, 1), { idle: () => activity.idle() });
  const dialect = options.dialect ?? 'en';
  const mock = await startMockServer({
    ...options.mock,
    dialect,
    port: 0,
    clock: createLinkedMockClock(() => clock.now()),
  });
  const dir = options.dbDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-test-kit-'));
  const dbPath = path.join(dir, 'runs.db');
  const client = createFornexClient({
    ...options.client,
    apiKey: options.apiKey ?? PERSONAL_API_KEY,
    baseURL: mock.url,
    dialect,
  });
  const tracked = options.recipes.map((recipe) => activity.track(recipe));
  const open = () => {
    const next = createEngine({ ...options.engine, store: sqliteStore({ path: dbPath }), client, clock });
    next.register(...tracked);
    for (const name of runEventNames) next.on(name, () => activity.touch());
    // The tracked recipes are the given ones with counted steps: same ids, inputs and outputs.
    return next as unknown as Engine<TRecipes[number]>;
  };
  let engine = open();

  const finish = async (run: RunHandle | string, { maxMs = 24 * 3600_000 } = {}): Promise<RunEnd> => {
    const runId = typeof run === 'string' ? run : run.runId;
    const limitMs = clock.now() + maxMs;
    for (;;) {
      await activity.idle();
      const info = await engine.get(runId);
      if (!info) throw new Error(`finish: no run ${runId}`);
      if (info.status === RunStatus.Completed) return { status: RunStatus.Completed, output: info.output };
      if (info.status === RunStatus.Failed || info.status === RunStatus.Cancelled)
        return { status: info.status, error: info.error };
      const next = clock.nextDeadline();
      if (next === undefined || next > limitMs) {
        throw new Error(
          `finish: run ${runId} is still ${info.status} (state ${JSON.stringify(info.state)}) with no timer due`,
        );
      }
      await clock.advance(Math.max(0, next - clock.now()));
    }
  };

  return {
    get engine() {
      return engine;
    },
    client,
    mock,
    clock,
    dbPath,
    advance: (ms) => clock.advance(ms),
    idle: () => activity.idle(),
    finish,
    async restart() {
      await engine.close();
      engine = open();
      await engine.resumeAll();
      return engine;
    },
    async close() {
      await engine.close();
      await mock.close();
      if (!options.dbDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
