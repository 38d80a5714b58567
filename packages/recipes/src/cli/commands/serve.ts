import { isLoopbackHost } from '../../serve/auth.js';
import { createDashboardServer } from '../../serve/create-server.js';
import { usageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { writeLine } from '../output/io.js';
import { workerCommand } from './worker.js';

/** Flags of `fornex-flow serve`. */
export interface ServeFlags {
  host?: string;
  port?: string;
  token?: string;
  pollMs?: string;
}

/**
 * `fornex-flow serve`: the worker (runs resumed, timers fired) plus the dashboard and its JSON API.
 * Prints the URL first; refuses (exit 2) to listen beyond loopback without a token.
 */
export async function serveCommand(ctx: CommandContext, flags: ServeFlags): Promise<number> {
  const host = flags.host ?? '127.0.0.1';
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError('--port must be an integer from 0 to 65535');
  const token = flags.token ?? ctx.io.env.FORNEX_FLOW_TOKEN;
  if (token !== undefined && token.length < 8) throw usageError('the token must have at least 8 characters');
  if (!token && !isLoopbackHost(host))
    throw usageError(
      `refusing to listen on ${host} without a token: set FORNEX_FLOW_TOKEN (or --token), or bind 127.0.0.1`,
    );
  const recipes = await ctx.recipes();
  return workerCommand(ctx, flags.pollMs === undefined ? {} : { pollMs: flags.pollMs }, async ({ engine }) => {
    let server: Awaited<ReturnType<typeof createDashboardServer>>;
    try {
      server = await createDashboardServer({ engine, recipes, host, port, ...(token ? { token } : {}), log: ctx.warn });
    } catch (error) {
      throw usageError(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
    }
    writeLine(
      ctx.io.stdout,
      ctx.flags.json ? JSON.stringify({ name: 'serve:listening', url: server.url }) : server.url,
    );
    return () => server.close();
  });
}
