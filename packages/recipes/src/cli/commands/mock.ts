import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext } from '../command-context.js';

/** Where the `fornex-mock` bin of @fornex-flow/mock-server is (its package root holds `bin/`). */
function mockBinPath(): string {
  const entry = fileURLToPath(import.meta.resolve('@fornex-flow/mock-server'));
  // The entry is <package>/dist/index.js.
  return join(dirname(dirname(entry)), 'bin', 'fornex-mock.js');
}

/** `fornex-flow mock [flags]`: runs `fornex-mock` with the same flags (see `fornex-mock --help`). */
export function mockCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mockBinPath(), ...args], { stdio: 'inherit', env: ctx.io.env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      ctx.warn(`fornex-flow: cannot start fornex-mock: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 3 : 1));
    });
  });
}
