import { createOpenApiDocument, params } from '@fornex-flow/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { DAY_MS } from '../render/dates.js';
import { bodyText, fromContext } from '../server/api-exchange.js';
import { faultRuleSchema } from '../server/faults/faults.js';
import { BodyTooLargeError } from '../server/read-body.js';
import type { MockRuntime } from '../server/runtime.js';
import { DELIVERY_HEADER } from '../server/webhooks/webhook-post.js';
import { defaultCommentText, deliverWebhook } from '../server/webhooks/webhooks.js';
import { ClockRangeError } from '../world/clock.js';
import { describeIssue } from '../world/describe-issue.js';
import { parseWorldState } from '../world/world-schema.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

/** Thrown for a bad admin request; answered 400 with its message. */
class AdminError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function readJson(c: Context, maxBytes: number): Promise<unknown> {
  let text: string;
  try {
    text = await bodyText(fromContext(c), maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AdminError(`body is larger than ${maxBytes} bytes`, 413);
    throw error;
  }
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AdminError('body is not valid JSON');
  }
  if (nestsDeeperThan(value)) throw new AdminError(`body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AdminError(`invalid ${what}: ${issue ? describeIssue(issue) : 'invalid'}`);
}

const advanceSchema = z.object({
  ms: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * DAY_MS),
});
const commentSchema = z.object({ text: z.string().max(65_536).optional(), apikey: z.string().optional() }).strict();

/** The admin API under `/__mock/`: reset, state, journal, faults, clock, ticket comments, OpenAPI. */
export function createAdminApp(rt: MockRuntime): Hono {
  const admin = new Hono();
  const { world } = rt;

  // A webhook delivery that came back here (through a proxy, or a host serving the app itself)
  // is refused: a tenant must not drive the admin API through its webhook.
  admin.use('*', async (c, next) => {
    if (c.req.header(DELIVERY_HEADER) !== undefined)
      return c.json({ error: 'a mock webhook delivery cannot call the admin API' }, 508);
    await next();
  });

  admin.post('/reset', (c) => {
    world.reset();
    rt.faults.clear();
    return c.json({ ok: true });
  });
  admin.get('/state', (c) => c.json(world.state));
  admin.put('/state', async (c) => {
    const parsed = parseWorldState(await readJson(c, rt.maxStateBytes));
    if (!parsed.ok) throw new AdminError(parsed.error);
    world.replace(parsed.state);
    return c.json({ ok: true });
  });

  admin.get('/requests', (c) => {
    const raw = c.req.query('limit');
    const limit = raw === undefined ? undefined : check(z.coerce.number().int().min(0), raw, 'limit');
    const { capacity, count } = rt.journal;
    return c.json({ capacity, count, requests: rt.journal.list(limit) });
  });
  admin.delete('/requests', (c) => {
    rt.journal.clear();
    return c.json({ ok: true });
  });

  admin.get('/faults', (c) => c.json({ faults: rt.faults.list() }));
  admin.post('/faults', async (c) => {
    const body = await readJson(c, rt.maxBodyBytes);
    // Checked apart, not as a union: a union's error is a bare "Invalid input" that names no field.
    const rules = Array.isArray(body)
      ? check(z.array(faultRuleSchema).max(1000), body, 'fault rules')
      : check(faultRuleSchema, body, 'fault rule');
    const added = (Array.isArray(rules) ? rules : [rules]).map((rule) => rt.faults.add(rule));
    return c.json({ ok: true, faults: added }, 201);
  });
  admin.delete('/faults', (c) => {
    rt.faults.clear();
    return c.json({ ok: true });
  });
  admin.delete('/faults/:id', (c) => {
    const id = check(params.intId, c.req.param('id'), 'fault id');
    if (!rt.faults.remove(id)) throw new AdminError(`no fault rule ${id}`, 404);
    return c.json({ ok: true });
  });

  const clock = (c: Context) => {
    const nowMs = world.clock.now();
    return c.json({ nowMs, now: new Date(nowMs).toISOString() });
  };
  admin.get('/clock', clock);
  admin.post('/clock/advance', async (c) => {
    const { ms } = check(advanceSchema, await readJson(c, rt.maxBodyBytes), 'clock advance (want {"ms": N})');
    try {
      world.clock.advance(ms);
    } catch (error) {
      if (error instanceof ClockRangeError) throw new AdminError(error.message);
      throw error;
    }
    return clock(c);
  });

  admin.post('/tickets/:id/comments', async (c) => {
    // Positive, as the world schema wants ticket ids: a comment must not make the state unloadable.
    const id = check(params.intId, c.req.param('id'), 'ticket id');
    const body = check(commentSchema, (await readJson(c, rt.maxBodyBytes)) ?? {}, 'comment');
    const key = body.apikey ?? world.state.keys[0]?.key;
    const auth = world.authenticate(key);
    if (!auth) throw new AdminError('unknown apikey: no tenant to comment as', 404);
    const { tenant } = auth;
    const ticket = tenant.tickets.find((t) => t.id === id);
    if (!ticket) throw new AdminError(`no ticket ${id} for this key's tenant`, 404);
    // Checked before anything changes: a refused comment leaves no trace.
    if (rt.webhookQueue.isFull(tenant.id))
      throw new AdminError(`the webhook queue of this tenant is full, try again later`, 429);
    ticket.comments++;
    const text = body.text ?? defaultCommentText(id, world.dialect);
    const result = await rt.webhookQueue.run(tenant.id, () =>
      deliverWebhook(world, tenant, text, {
        timeoutMs: rt.webhookTimeoutMs,
        allowExternal: rt.allowExternalWebhooks,
        selfPort: rt.self.port,
      }),
    );
    return c.json({ ticket: id, ...result });
  });

  let openApi: ReturnType<typeof createOpenApiDocument> | undefined;
  admin.get('/openapi.json', (c) => {
    // Built once per server, on first use; only the server URL depends on how the request came in.
    openApi ??= createOpenApiDocument();
    return c.json({ ...openApi, servers: [{ url: new URL(c.req.url).origin }] });
  });

  // Last, so only paths no route above takes get here. A sub-app's notFound is not used once
  // mounted: without this route, an unknown admin path fell through to the API handler, where
  // faults and the journal applied to it.
  admin.all('*', (c) => c.json({ error: `no admin endpoint ${c.req.method} ${c.req.path}` }, 404));

  admin.onError((error, c) => {
    if (error instanceof AdminError) return c.json({ error: error.message }, error.status as 400);
    return c.json({ error: 'internal mock error' }, 500);
  });
  return admin;
}
