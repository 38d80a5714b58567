import { dropSchema, freshSchema, testDatabaseUrl } from '@fornex-flow/postgres/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createCliWorld } from '../cli/helpers.js';
import { jsonPost, startServe } from './serve-helpers.js';

// Two `serve` processes sharing one PostgreSQL database (issue 12): a run started through one is
// listed, shown and cancelled through the other. Under CI the server must be there (.ci/postgres).
const url = testDatabaseUrl('serve on PostgreSQL');
const schema = freshSchema('serve');
const TOKEN = 'a-test-token-5678';

describe.skipIf(!url)('fornex-flow serve: two servers on one PostgreSQL database', () => {
  afterAll(() => dropSchema(url as string, schema));

  it('a run started through one server is seen, and cancelled, through the other', async () => {
    const world = await createCliWorld();
    const env = { FORNEX_FLOW_DB: `${url}?schema=${schema}` };
    const a = await startServe(TOKEN, undefined, env, world);
    const b = await startServe(TOKEN, undefined, env, world);
    const call = (server: typeof a, path: string, init: RequestInit = {}) =>
      server.call(path, { ...init, token: TOKEN });
    const statusOf = async (server: typeof a, runId: string) =>
      ((await (await call(server, `/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status;
    const until = async (server: typeof a, runId: string, status: string) => {
      while ((await statusOf(server, runId)) !== status) await new Promise((r) => setTimeout(r, 50));
    };

    const started = await call(a, '/api/runs', jsonPost({ recipe: 'test-orders', input: { title: 'pg one' } }));
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    await until(b, runId, 'completed');
    const listed = (await (await call(b, '/api/runs?recipe=test-orders')).json()) as { runs: { runId: string }[] };
    expect(listed.runs.map((r) => r.runId)).toContain(runId);

    const sleeping = (await (
      await call(a, '/api/runs', jsonPost({ recipe: 'test-orders', input: { title: 'pg sleepy', pauseMs: 600_000 } }))
    ).json()) as { runId: string };
    await until(b, sleeping.runId, 'waiting');
    const cancelled = await call(b, `/api/runs/${sleeping.runId}/cancel`, { method: 'POST' });
    expect(await cancelled.json()).toMatchObject({ cancelled: true, status: 'cancelled' });
    expect(await statusOf(a, sleeping.runId)).toBe('cancelled');
  });
});
