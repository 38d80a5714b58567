import type { Engine } from '@fornex-flow/core';
import { usageError } from './cli-error.js';
import type { GlobalFlags } from './config.js';
import type { CliRecipe } from './input/recipe-source.js';
import type { CliIo } from './output/io.js';

/** What every command gets: the streams, the global flags, and the recipes (loaded on first use). */
export interface CommandContext {
  io: CliIo;
  flags: GlobalFlags;
  recipes(): Promise<CliRecipe[]>;
  /** One line on stderr. */
  warn(line: string): void;
}

/** A run id, or an unambiguous prefix of one (at least 6 characters), as stored. */
export async function resolveRunId(engine: Engine, idOrPrefix: string): Promise<string> {
  if (await engine.get(idOrPrefix)) return idOrPrefix;
  if (idOrPrefix.length >= 6) {
    const matches = (await engine.list()).filter((run) => run.runId.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0]!.runId;
    if (matches.length > 1) throw usageError(`run id prefix ${idOrPrefix} is ambiguous (${matches.length} runs)`);
  }
  throw usageError(`no run ${idOrPrefix} in this database`);
}
