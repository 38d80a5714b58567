// Webhooks a hostile tenant points at the mock itself, at slow or endless receivers, or floods:
// the mock never calls itself, delivers one at a time per tenant, and reads replies boundedly.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { admin, OTHER, PERSONAL, post, startMock, state } from './helpers.js';

/** A real receiver on a free port; `respond` decides how (and whether) it answers. */
async function startReceiver(respond: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => respond(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}

type Comment = { delivered: boolean; error?: string; status?: number };

describe('webhooks never reach the mock itself', () => {
  it('a webhook at the admin API, by any spelling of this host, is refused and changes nothing', async () => {
    // Allowing external hosts must not open the way back in either.
    for (const allowExternalWebhooks of [false, true]) {
      const mock = await startMock({ allowExternalWebhooks });
      await post(mock, '/api/dns/v0.1/example.com/entry_set/add/', { host: 'kept', type: 'A', value: '192.0.2.9' });
      const before = (await state(mock)).text;
      const port = mock.port;
      const targets = [
        `${mock.url}/__mock/reset`,
        `http://localhost:${port}/__mock/reset`,
        `http://0.0.0.0:${port}/__mock/reset`,
        `http://[::ffff:127.0.0.1]:${port}/__mock/reset`,
        `http://2130706433:${port}/__mock/reset`,
        `http://127.1:${port}/__mock/tickets/1/comments`,
      ];
      for (const url of targets) {
        expect((await post(mock, '/api/tickets/webhook_set/', { url }, OTHER)).json).toEqual({ ok: true });
        const reply = await admin(mock, 'POST', '/tickets/2/comments', { apikey: OTHER, text: 'x' });
        expect(reply.status).toBe(200);
        const comment = reply.json as Comment;
        expect(comment.delivered, url).toBe(false);
        expect(comment.error, url).toMatch(/the mock itself/);
      }
      const after = (await state(mock)).json;
      // The personal tenant's world is untouched (no reset happened): its added record is still there.
      expect(JSON.stringify(after.tenants[0])).toBe(JSON.stringify(JSON.parse(before).tenants[0]));
      // And the personal tenant's ticket got no comment through the other tenant's webhook.
      expect(after.tenants[0]!.tickets).toEqual([{ id: 1, comments: 0 }]);
    }
  });

  it('a webhook at its own comments endpoint does not loop', async () => {
    const mock = await startMock();
    await post(mock, '/api/tickets/webhook_set/', { url: `${mock.url}/__mock/tickets/1/comments` }, PERSONAL);
    const comment = (await admin(mock, 'POST', '/tickets/1/comments', { text: 'x' })).json as Comment;
    expect(comment.delivered).toBe(false);
    const tickets = (await state(mock)).json.tenants[0]!.tickets;
    expect(tickets).toEqual([{ id: 1, comments: 1 }]);
  });

  it('a delivery relayed back to the admin API by a proxy is refused there', async () => {
    const mock = await startMock();
    await post(mock, '/api/dns/v0.1/example.com/entry_set/add/', { host: 'kept', type: 'A', value: '192.0.2.9' });
    const before = (await state(mock)).text;
    // A receiver that relays what it gets, headers included, to the mock's reset.
    const relay = await startReceiver((req, res) => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host'));
      fetch(`${mock.url}/__mock/reset`, { method: 'POST', headers: headers as Record<string, string> }).then(
        (answer) => {
          res.statusCode = answer.status;
          res.end();
        },
      );
    });
    await post(mock, '/api/tickets/webhook_set/', { url: relay.url }, OTHER);
    const comment = (await admin(mock, 'POST', '/tickets/2/comments', { apikey: OTHER })).json as Comment;
    expect(comment).toMatchObject({ delivered: false, status: 508 });
    const after = JSON.parse((await state(mock)).text);
    expect(after.tenants[0]).toEqual(JSON.parse(before).tenants[0]);
  });

  it('a name is resolved and checked, not trusted by its spelling', async () => {
    const mock = await startMock();
    const url = `http://no-such-host.localhost:${mock.port}/hook`;
    await post(mock, '/api/tickets/webhook_set/', { url });
    const comment = (await admin(mock, 'POST', '/tickets/1/comments', { text: 'x' })).json as Comment;
    expect(comment.delivered).toBe(false);
    expect(comment.error).toMatch(/cannot resolve no-such-host\.localhost/);
  });
});

describe('webhook deliveries are bounded', () => {
  it('one delivery at a time per tenant, in order', async () => {
    const mock = await startMock();
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const receiver = await startReceiver((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      order.push(String(req.headers['x-seq'] ?? ''));
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 20);
    });
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    const replies = await Promise.all(
      [1, 2, 3, 4].map((n) => admin(mock, 'POST', '/tickets/1/comments', { text: `c${n}` })),
    );
    expect(replies.map((r) => (r.json as Comment).delivered)).toEqual([true, true, true, true]);
    expect(most).toBe(1);
  });

  it('a full queue refuses the comment with 429 and applies nothing', async () => {
    const mock = await startMock({ webhookQueueLimit: 2 });
    const held: ServerResponse[] = [];
    const receiver = await startReceiver((_req, res) => {
      held.push(res);
    });
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    // One in flight, two waiting: the queue is full.
    const pending = [1, 2, 3].map(() => admin(mock, 'POST', '/tickets/1/comments', { text: 'x' }));
    await expect.poll(() => held.length).toBe(1);
    const refused = await admin(mock, 'POST', '/tickets/1/comments', { text: 'x' });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: expect.stringMatching(/queue/) });
    // Another tenant has its own queue.
    expect((await admin(mock, 'POST', '/tickets/2/comments', { apikey: OTHER })).status).toBe(200);
    const release = async () => {
      while (held.length > 0) held.shift()!.end('ok');
    };
    const timer = setInterval(release, 5);
    const done = await Promise.all(pending);
    clearInterval(timer);
    expect(done.map((r) => (r.json as Comment).delivered)).toEqual([true, true, true]);
    expect((await state(mock)).json.tenants[0]!.tickets).toEqual([{ id: 1, comments: 3 }]);
  });

  it('reads a bounded prefix of the reply: an endless 200 body is delivered, not read to the end', async () => {
    const mock = await startMock();
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.on('close', () => {
        closed = true;
      });
      const pump = () => {
        while (!closed && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    const comment = (await admin(mock, 'POST', '/tickets/1/comments', { text: 'x' })).json as Comment;
    expect(comment).toMatchObject({ delivered: true, status: 200 });
    await expect.poll(() => closed).toBe(true);
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });

  it('a receiver that answers its headers and then stalls is still bounded by the time limit', async () => {
    const mock = await startMock({ webhookTimeoutMs: 300 });
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    const comment = (await admin(mock, 'POST', '/tickets/1/comments', { text: 'x' })).json as Comment;
    expect(comment).toMatchObject({ delivered: true, status: 200 });
  });
});
