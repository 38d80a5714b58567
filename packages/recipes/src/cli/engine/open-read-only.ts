import type { CommandContext } from '../command-context.js';
import { dbPathOf } from '../config.js';
import { type OpenedEngine, openEngine } from './open-engine.js';

/** An engine for commands that read or cancel runs: no client, no key, and no new database file. */
export async function openReadOnly(ctx: CommandContext): Promise<OpenedEngine> {
  return openEngine({
    dbPath: dbPathOf(ctx.flags, ctx.io.env),
    recipes: [],
    env: ctx.io.env,
    warn: ctx.warn,
    mustExist: true,
  });
}
