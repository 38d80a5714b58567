import type { AddressInfo } from 'node:net';
import type { Engine } from '@fornex-flow/core';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CliRecipe } from '../cli/input/recipe-source.js';
import { createApi, recipeOffers } from './api.js';
import { authGuard } from './auth.js';
import { clientScript } from './client-script.js';
import { errorResponse, HttpError, httpError } from './http-error.js';
import { createLiveRuns } from './live-runs.js';
import { errorPage, runPage, runsPage } from './pages.js';
import { recipeOfRun, runDetail } from './run-view.js';
import { stateDiagram } from './state-diagram.js';

/** Options of `createDashboardServer`. */
export interface DashboardServerOptions {
  engine: Engine;
  recipes: readonly CliRecipe[];
  host: string;
  port: number;
  /** When set, every route requires it. */
  token?: string;
  /** How often other processes' runs are looked for while a browser listens (default 500). */
  livePollMs?: number;
  log: (line: string) => void;
}

/** A listening dashboard. */
export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

/** The Hono app of the dashboard: pages, /assets/app.js, the JSON API under /api, webhooks (/hooks, /runs/<id>/events). */
export function createDashboardApp(options: Omit<DashboardServerOptions, 'host' | 'port'>) {
  const { engine, recipes, log } = options;
  const now = () => Date.now();
  const live = createLiveRuns(engine, options.livePollMs ?? 500);
  const { api, hooks } = createApi({ engine, recipes, live, now });
  const app = new Hono();
  const wantsHtml = (accept: string | undefined) => (accept ?? '').includes('text/html');

  app.onError((error, c) => {
    if (wantsHtml(c.req.header('accept')) && error instanceof HttpError)
      return c.html(errorPage(error.status, error.message), error.status);
    return errorResponse(c, error, log);
  });
  app.notFound((c) => errorResponse(c, httpError(404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), log));
  app.use('*', authGuard(options.token));
  app.use(
    '*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw httpError(413, 'TOO_LARGE', 'the body is over 1 MiB');
      },
    }),
  );
  app.get('/', (c) => c.html(runsPage(recipeOffers(recipes))));
  app.get('/runs/:id', async (c) => {
    const detail = await runDetail(engine, recipes, c.req.param('id'), now());
    const recipe = recipeOfRun(recipes, detail.run);
    const svg = recipe
      ? stateDiagram(recipe.machine, detail.run.state)
      : '<p class="muted">this recipe is not loaded here</p>';
    return c.html(runPage(detail, svg));
  });
  app.get('/assets/app.js', (c) => c.body(clientScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.route('/api', api);
  app.route('/', hooks);
  return { app, live };
}

/** Starts the dashboard on host:port (0 picks a free port); resolves once it listens. */
export async function createDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { app, live } = createDashboardApp(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        live.close();
        server.close(() => resolve());
        // Open event streams would hold the server forever.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
