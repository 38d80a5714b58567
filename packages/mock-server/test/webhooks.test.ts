import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { admin, get, post, startMock } from './helpers.js';

interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

/** A real HTTP receiver on a free port, answering with `respond`; records what it got. */
async function startReceiver(respond: (res: ServerResponse, req: IncomingMessage) => void = (res) => res.end('ok')) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], body });
      respond(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url, received };
}

/** A URL on which nothing listens: a port that was free a moment ago. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

type Info = { url: string | null; last_error_message: string | null; last_error_date: string | null };

async function info(mock: { url: string }): Promise<Info> {
  return (await get(mock, '/api/tickets/webhook_info/')).json as Info;
}

describe('ticket webhooks', () => {
  it('POSTs {"text": ...} as JSON to the configured URL on a new comment', async () => {
    const mock = await startMock();
    const receiver = await startReceiver();
    expect((await post(mock, '/api/tickets/webhook_set/', { url: receiver.url })).json).toEqual({ ok: true });
    expect(await info(mock)).toEqual({ url: receiver.url, last_error_message: null, last_error_date: null });

    const comment = await admin(mock, 'POST', '/tickets/1/comments', { text: 'hi' });
    expect(comment.status).toBe(200);
    expect(comment.json).toMatchObject({ ticket: 1, delivered: true, status: 200, text: 'hi' });

    expect(receiver.received).toHaveLength(1);
    const [hit] = receiver.received;
    expect(hit!.method).toBe('POST');
    expect(hit!.path).toBe('/hook');
    expect(hit!.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(hit!.body)).toEqual({ text: 'hi' });
    expect((await info(mock)).last_error_message).toBeNull();
  });

  it('never calls a non-loopback host unless allowed: the documented Slack URL stays untouched', async () => {
    const mock = await startMock();
    const comment = await admin(mock, 'POST', '/tickets/1/comments', { text: 'hi' });
    expect(comment.json).toMatchObject({ delivered: false, url: expect.stringContaining('hooks.slack.com') });
    expect(String((comment.json as { error: string }).error)).toMatch(/only calls loopback hosts/);
    const after = await info(mock);
    expect(after.last_error_message).toMatch(/--allow-external-webhooks/);
    expect(after.last_error_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const journal = (await admin(mock, 'GET', '/requests')).json as { requests: unknown[] };
    expect(journal.requests).toHaveLength(1);
  });

  it('sends the documented default text when none is given', async () => {
    const mock = await startMock();
    const receiver = await startReceiver();
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    await admin(mock, 'POST', '/tickets/1/comments');
    expect(JSON.parse(receiver.received[0]!.body)).toEqual({ text: 'New comment added to the ticket #1...' });
  });

  it('delivers per tenant: the comment goes to the webhook of the key it is made as', async () => {
    const mock = await startMock();
    const personal = await startReceiver();
    const other = await startReceiver();
    await post(mock, '/api/tickets/webhook_set/', { url: personal.url });
    await post(mock, '/api/tickets/webhook_set/', { url: other.url }, 'OTHER_API_KEY');
    await admin(mock, 'POST', '/tickets/2/comments', { text: 'for other', apikey: 'OTHER_API_KEY' });
    expect(personal.received).toHaveLength(0);
    expect(other.received.map((r) => JSON.parse(r.body))).toEqual([{ text: 'for other' }]);
  });

  it('records a receiver that answers 500 in webhook_info', async () => {
    const mock = await startMock();
    const receiver = await startReceiver((res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    const comment = await admin(mock, 'POST', '/tickets/1/comments', { text: 'hi' });
    expect(comment.json).toMatchObject({ delivered: false, status: 500 });
    expect(receiver.received).toHaveLength(1);

    const after = await info(mock);
    expect(after.url).toBe(receiver.url);
    expect(after.last_error_message).toMatch(/500/);
    expect(after.last_error_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  });

  it('records an unreachable URL in webhook_info', async () => {
    const mock = await startMock();
    const url = await closedPortUrl();
    await post(mock, '/api/tickets/webhook_set/', { url });
    const comment = await admin(mock, 'POST', '/tickets/1/comments', { text: 'hi' });
    expect(comment.json).toMatchObject({ delivered: false, error: expect.any(String) });
    const after = await info(mock);
    expect(after.last_error_message).toEqual(expect.any(String));
    expect(after.last_error_message).not.toBe('');
    expect(after.last_error_date).toEqual(expect.any(String));

    // Setting the webhook again starts afresh.
    await post(mock, '/api/tickets/webhook_set/', { url });
    expect(await info(mock)).toEqual({ url, last_error_message: null, last_error_date: null });
  });

  it('records a receiver that does not answer within webhookTimeoutMs', async () => {
    const mock = await startMock({ webhookTimeoutMs: 200 });
    // Never answers; the receiver's close() drops the connection at the end of the test.
    const receiver = await startReceiver(() => {});
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    const comment = await admin(mock, 'POST', '/tickets/1/comments', { text: 'hi' });
    expect(comment.json).toMatchObject({ delivered: false });
    expect((await info(mock)).last_error_message).toMatch(/timed out/);
  });

  it('an empty url deactivates the webhook', async () => {
    const mock = await startMock();
    const receiver = await startReceiver();
    await post(mock, '/api/tickets/webhook_set/', { url: receiver.url });
    expect((await post(mock, '/api/tickets/webhook_set/', { url: '' })).json).toEqual({ ok: true });
    expect(await info(mock)).toEqual({ url: null, last_error_message: null, last_error_date: null });

    const comment = await admin(mock, 'POST', '/tickets/1/comments', { text: 'hi' });
    expect(comment.json).toMatchObject({ delivered: false, url: null });
    expect(receiver.received).toHaveLength(0);
    // No webhook is not a delivery error.
    expect((await info(mock)).last_error_message).toBeNull();
  });

  it('refuses a URL that is not http(s)', async () => {
    const mock = await startMock();
    const reply = await post(mock, '/api/tickets/webhook_set/', { url: 'ftp://example.org/hook' });
    expect(reply.json).toMatchObject({ error: expect.stringMatching(/url/) });
    expect((await info(mock)).url).not.toBe('ftp://example.org/hook');
  });
});
