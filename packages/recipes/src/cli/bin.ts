#!/usr/bin/env node
// The `fornex-flow` executable: the CLI core with this package's recipes.
import { runCli } from './run-cli.js';

// Last line of defence: whatever escapes is one line on stderr, never a stack trace.
const fatal = (error: unknown) => {
  process.stderr.write(`fornex-flow: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// A reader that went away (`| head`) is not an error worth a message.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  fatal(error);
});

const code = await runCli(process.argv.slice(2), { recipes: () => import('../recipes/index.js') });
// Not process.exit(): stdout may still be flushing to a pipe. Anything left holding the loop
// (a stuck socket) must not keep a finished command alive, hence the unref'd backstop.
process.exitCode = code;
setTimeout(() => process.exit(code), 2000).unref();
