import { onTestFinished } from 'vitest';
import { type CliWorld, createCliWorld, type RunningCli } from '../cli/helpers.js';

/** A `fornex-flow serve` process (the built binary) on port 0 over a temp database and a mock. */
export interface ServeWorld extends CliWorld {
  server: RunningCli;
  url: string;
  /** fetch() relative to the server, with the token as a Bearer header when `token` is set. */
  call(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
}

/**
 * Starts the world (or uses `world`, for several servers over one mock) and `serve` (with
 * FORNEX_FLOW_TOKEN, a recipe module and more environment when given); stops it when the test ends.
 */
export async function startServe(
  token?: string,
  extraRecipes?: string,
  env: Record<string, string> = {},
  world?: CliWorld,
): Promise<ServeWorld> {
  world ??= await createCliWorld();
  const server = world.spawn(['serve', '--port', '0', ...(extraRecipes ? ['--recipes', extraRecipes] : [])], {
    ...(token ? { FORNEX_FLOW_TOKEN: token } : {}),
    ...env,
  });
  onTestFinished(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  const url = await server.waitForLine((line) => line.startsWith('http://'));
  return {
    ...world,
    server,
    url,
    call: (path, init = {}) => {
      const { token: bearer, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (bearer) headers.set('authorization', `Bearer ${bearer}`);
      return fetch(new URL(path, url), { ...rest, headers, redirect: 'manual' });
    },
  };
}

/** POSTs JSON. */
export function jsonPost(body: unknown, extra: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) };
}
