import { describe, expect, it } from 'vitest';
import { createCliWorld } from '../cli/helpers.js';
import { jsonPost, startServe } from './serve-helpers.js';

const TOKEN = 'a-test-token-1234';

async function waitForStatus(call: (p: string) => Promise<Response>, runId: string, status: string) {
  for (;;) {
    const run = (await (await call(`/api/runs/${runId}`)).json()) as { run: { status: string } };
    if (run.run.status === status) return run;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('fornex-flow serve: the HTTP API', () => {
  it('starts, lists, shows and cancels runs; answers bad input with clear 4xx JSON', async () => {
    const w = await startServe(TOKEN);
    const call = (p: string, init: RequestInit = {}) => w.call(p, { ...init, token: TOKEN });

    const started = await call('/api/runs', jsonPost({ recipe: 'test-orders', input: { title: 'api key one' } }));
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    const done = await waitForStatus(call, runId, 'completed');
    expect(done).toMatchObject({ run: { state: 'done', input: { title: 'api key one' } } });
    const detail = done as unknown as {
      steps: { step: string; attempt: number }[];
      children: { status: string; recipeId: string }[];
    };
    expect(detail.steps.map((s) => s.step)).toEqual(expect.arrayContaining(['listOrders', 'checkOrders', 'addKey']));
    expect(detail.children.length).toBeGreaterThan(0);
    expect(new Set(detail.children.map((c) => `${c.recipeId} ${c.status}`))).toEqual(
      new Set(['test-order-status completed']),
    );
    // Child runs are not in the list unless asked for.

    const list = (await (await call('/api/runs?status=completed&recipe=test-orders')).json()) as {
      runs: { runId: string }[];
    };
    expect(list.runs.map((r) => r.runId)).toEqual([runId]);

    const sleeping = (await (
      await call('/api/runs', jsonPost({ recipe: 'test-orders', input: { title: 'sleepy', pauseMs: 600_000 } }))
    ).json()) as { runId: string };
    await waitForStatus(call, sleeping.runId, 'waiting');
    // An event reaches the waiting run (this machine ignores it), by either path.
    for (const path of [`/api/runs/${sleeping.runId}/events`, `/runs/${sleeping.runId}/events`]) {
      const sent = await call(path, jsonPost({ type: 'NUDGE' }));
      expect(await sent.json()).toMatchObject({ delivered: true, status: 'waiting' });
      expect(sent.status).toBe(202);
    }
    const cancelled = await call(`/api/runs/${sleeping.runId}/cancel`, { method: 'POST' });
    expect(await cancelled.json()).toMatchObject({ cancelled: true, status: 'cancelled' });

    const bad = [
      [await call('/api/runs', jsonPost({ recipe: 'test-orders', input: { title: '' } })), 400, 'INVALID_INPUT'],
      [await call('/api/runs', jsonPost({ recipe: 'no-such', input: {} })), 404, 'UNKNOWN_RECIPE'],
      [
        await call('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
        400,
        'BAD_JSON',
      ],
      [await call('/api/runs', { method: 'POST', body: 'recipe=x' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [await call('/api/runs?status=bogus'), 400, 'BAD_FILTER'],
      [await call('/api/runs/nope'), 404, 'RUN_NOT_FOUND'],
      [await call(`/api/runs/${runId}/events`, jsonPost({ nope: 1 })), 400, 'BAD_EVENT'],
      [await call(`/api/runs/${runId}/events`, jsonPost({ type: 'GO' })), 409, 'RUN_NOT_ACTIVE'],
      [await call(`/runs/${runId}/events`, jsonPost({ type: 'GO' })), 409, 'RUN_NOT_ACTIVE'],
      [await call(`/runs/nope/events`, jsonPost({ type: 'GO' })), 404, 'RUN_NOT_FOUND'],
      [await call('/hooks/no-such', jsonPost({})), 404, 'UNKNOWN_RECIPE'],
    ] as const;
    for (const [response, status, code] of bad) {
      const text = await response.text();
      expect({ status: response.status, code: (JSON.parse(text) as { error: { code: string } }).error.code }).toEqual({
        status,
        code,
      });
      expect(text).not.toMatch(/\n\s+at /);
    }
  });

  it('masks secret input fields in the API and on the run page', async () => {
    const secretRecipes = new URL('./fixtures/secret-recipe.mjs', import.meta.url).pathname;
    const w = await startServe(TOKEN, secretRecipes);
    const call = (p: string, init: RequestInit = {}) => w.call(p, { ...init, token: TOKEN });
    const password = 'hunter2-very-secret';
    const started = await call(
      '/api/runs',
      jsonPost({ recipe: 'test-secret-login', input: { user: 'ann', password } }),
    );
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    const done = await waitForStatus(call, runId, 'completed');
    expect(done).toMatchObject({
      run: { input: { user: 'ann', password: '••••••' }, output: { user: 'ann', ok: true } },
    });
    const texts = [
      JSON.stringify(done),
      await (await call(`/runs/${runId}`)).text(),
      await (await call('/api/runs')).text(),
      ...w.outputs,
    ];
    for (const text of texts) expect(text).not.toContain(password);
  });

  it('streams run changes as server-sent events', async () => {
    const w = await startServe(TOKEN);
    const abort = new AbortController();
    const stream = await w.call('/api/live', { token: TOKEN, signal: abort.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (match: (t: string) => boolean) => {
      while (!match(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended:\n${text}`);
        text += value;
      }
    };
    await until((t) => t.includes('event: hello'));
    const started = await w.call('/api/runs', {
      ...jsonPost({ recipe: 'test-orders', input: { title: 'sse' } }),
      token: TOKEN,
    });
    const { runId } = (await started.json()) as { runId: string };
    const statuses = () =>
      text
        .split('\n')
        .filter((line) => line.startsWith('data: ') && line.includes(`"runId":"${runId}"`))
        .map((line) => (JSON.parse(line.slice(6)) as { status: string }).status);
    await until(() => statuses().includes('completed'));
    expect(statuses().at(-1)).toBe('completed');
    abort.abort();
  });

  it('webhooks start one run per Idempotency-Key', async () => {
    const w = await startServe(TOKEN);
    const hook = () =>
      w.call('/hooks/test-orders', {
        ...jsonPost({ title: 'from a hook' }, { 'idempotency-key': 'delivery-7' }),
        token: TOKEN,
      });
    const first = await hook();
    expect(first.status).toBe(202);
    const second = await hook();
    const a = (await first.json()) as { runId: string };
    const b = (await second.json()) as { runId: string };
    expect(b.runId).toBe(a.runId);
    const invalid = await w.call('/hooks/test-orders', { ...jsonPost({ title: 3 }), token: TOKEN });
    expect(invalid.status).toBe(400);
  });

  it('requires the token on every route; ?token= sets an HttpOnly cookie', async () => {
    const w = await startServe(TOKEN);
    for (const path of ['/', '/api/runs', '/assets/app.js', '/api/live'])
      expect((await w.call(path)).status, path).toBe(401);
    expect((await w.call('/api/runs', { token: 'wrong-token-1234' })).status).toBe(401);
    expect((await w.call('/hooks/test-orders', jsonPost({ title: 'x' }))).status).toBe(401);
    const login = await w.call(`/?token=${TOKEN}`);
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    const page = await w.call('/', { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(w.outputs.join('')).not.toContain(TOKEN);
  });

  it('refuses a non-loopback address without a token (exit 2)', async () => {
    const world = await createCliWorld();
    const result = await world.cli(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('without a token');
  });
});
