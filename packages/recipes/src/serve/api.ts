import type { Engine } from '@fornex-flow/core';
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { inputJsonSchema } from '../cli/input/recipe-fields.js';
import { type CliRecipe, findRecipe } from '../cli/input/recipe-source.js';
import { httpError } from './http-error.js';
import type { LiveRuns } from './live-runs.js';
import type { RecipeOffer } from './pages.js';
import { listRuns, parseRunFilter, runDetail } from './run-view.js';

/** What the API routes need. */
export interface ApiDeps {
  engine: Engine;
  recipes: readonly CliRecipe[];
  live: LiveRuns;
  now: () => number;
}

/** The newest version of each recipe, as the API and the start form describe it. */
export function recipeOffers(recipes: readonly CliRecipe[]): RecipeOffer[] {
  const newest = new Map<string, CliRecipe>();
  for (const r of recipes) newest.set(r.recipe.id, r);
  return [...newest.values()].map(({ recipe }) => ({
    id: recipe.id,
    version: recipe.version,
    description: recipe.description ?? '',
    inputSchema: inputJsonSchema(recipe.input),
    secretInput: recipe.secretInput ?? [],
  }));
}

async function jsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  // Only JSON: a cross-site HTML form cannot send it without the browser asking first (CORS).
  if (!/^application\/json\b/i.test(type))
    throw httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON (Content-Type: application/json)');
  try {
    return await request.json();
  } catch {
    throw httpError(400, 'BAD_JSON', 'the body is not valid JSON');
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

async function startRun(deps: ApiDeps, recipeId: string, input: unknown, idempotencyKey?: string) {
  try {
    findRecipe(deps.recipes, recipeId);
  } catch {
    throw httpError(404, 'UNKNOWN_RECIPE', `no recipe "${recipeId}" (GET /api/recipes lists them)`);
  }
  const handle = await deps.engine.start(recipeId, input as never, idempotencyKey ? { idempotencyKey } : {});
  // The run goes on in this process; its failure is recorded on the run, not thrown here.
  handle.result().catch(() => {});
  const run = await deps.engine.get(handle.runId);
  return { runId: handle.runId, recipeId, status: run?.status ?? 'running' };
}

/** The JSON API: recipes, runs (list, one, start, cancel, resume, events), webhooks, live updates. */
export function createApi(deps: ApiDeps): { api: Hono; hooks: Hono } {
  const { engine } = deps;
  const api = new Hono();
  const run = async (id: string) => {
    if (!(await engine.get(id))) throw httpError(404, 'RUN_NOT_FOUND', `no run ${id}`);
    return id;
  };

  api.get('/recipes', (c) => c.json({ recipes: recipeOffers(deps.recipes) }));
  api.get('/runs', async (c) => c.json({ runs: await listRuns(engine, parseRunFilter(c.req.query()), deps.now()) }));
  api.get('/runs/:id', async (c) => c.json(await runDetail(engine, deps.recipes, c.req.param('id'), deps.now())));
  api.post('/runs', async (c) => {
    const body = await jsonBody(c.req.raw);
    if (!isObject(body) || typeof body.recipe !== 'string')
      throw httpError(400, 'BAD_REQUEST', 'send { "recipe": "<id>", "input": { ... }, "idempotencyKey"?: "..." }');
    const key = body.idempotencyKey;
    if (key !== undefined && (typeof key !== 'string' || key === ''))
      throw httpError(400, 'BAD_REQUEST', 'idempotencyKey must be a non-empty string');
    return c.json(await startRun(deps, body.recipe, body.input ?? {}, key), 201);
  });
  api.post('/runs/:id/cancel', async (c) => {
    const id = await run(c.req.param('id'));
    const cancelled = await engine.cancel(id);
    return c.json({ runId: id, cancelled, status: (await engine.get(id))?.status });
  });
  api.post('/runs/:id/resume', async (c) => {
    const id = await run(c.req.param('id'));
    const handle = await engine.resume(id);
    handle.result().catch(() => {});
    return c.json({ runId: id, status: (await engine.get(id))?.status });
  });
  const sendEvent = async (c: Context) => {
    const id = await run(c.req.param('id') ?? '');
    const event = await jsonBody(c.req.raw);
    if (!isObject(event) || typeof event.type !== 'string' || event.type === '')
      throw httpError(400, 'BAD_EVENT', 'an event is a JSON object with a non-empty string "type"');
    await engine.send(id, event as { type: string });
    return c.json({ runId: id, delivered: true, status: (await engine.get(id))?.status }, 202);
  };
  api.post('/runs/:id/events', sendEvent);
  api.get('/live', (c) =>
    streamSSE(c, async (stream) => {
      const only = c.req.query('run');
      let wake: () => void = () => {};
      const off = await deps.live.subscribe((changed) => {
        if (only && changed.runId !== only) return;
        void stream.writeSSE({ event: 'run', data: JSON.stringify(changed) });
      });
      stream.onAbort(() => {
        off();
        wake();
      });
      await stream.writeSSE({ event: 'hello', data: '{}' });
      // Holds the stream open until the browser leaves; a comment now and then keeps proxies from closing it.
      while (!stream.aborted && !stream.closed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000).unref();
        });
        if (!stream.aborted) await stream.write(': keep-alive\n\n');
      }
      off();
    }),
  );

  const hooks = new Hono();
  // The spelling, beside /api/runs/<id>/events: webhook senders often want a short path.
  hooks.post('/runs/:id/events', sendEvent);
  hooks.post('/hooks/:recipe', async (c) => {
    const recipe = c.req.param('recipe');
    const input = await jsonBody(c.req.raw);
    const key = c.req.header('idempotency-key');
    // Scoped by recipe, so one caller's key cannot collide with another recipe's run.
    const started = await startRun(deps, recipe, input, key ? `hook:${recipe}:${key}` : undefined);
    return c.json(started, 202);
  });
  return { api, hooks };
}
