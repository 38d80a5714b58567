import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';

/** Flags of `fornex-flow demo`. */
export interface DemoFlags {
  scale?: string;
}

/** `fornex-flow demo`: every recipe against an in-process mock and a temporary database. */
export async function demoCommand(_ctx: CommandContext, _flags: DemoFlags): Promise<number> {
  throw new CliError('the demo is not built yet');
}
