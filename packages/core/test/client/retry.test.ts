// Retries: idempotent GETs retry 5xx, network errors and timeouts; POSTs (and the side-effecting
// passwd_reset GET) never do. Real HTTP throughout.
import { describe, expect, it } from 'vitest';
import type { FornexError, RetryEvent } from '../../src/index.js';
import { addFaults, journal, rejection, settledJournal, useMock } from './helpers.js';

describe('retries against the mock', () => {
  const handle = useMock('en');

  function clientWithRetries(options: Parameters<typeof handle.client>[0] = {}) {
    const retries: RetryEvent[] = [];
    const client = handle.client({
      timeoutMs: 150,
      hooks: { onRetry: (event) => void retries.push(event) },
      ...options,
    });
    return { client, retries };
  }

  it('retries a GET after 5xx answers, and succeeds', async () => {
    await addFaults(handle.mock, { path: '/api/account/balance', status: 503, times: 2 });
    const { client, retries } = clientWithRetries();
    expect(await client.account.balance()).toEqual({ balance: 91, currency: 'EUR' });
    expect((await journal(handle.mock)).map((e) => e.status)).toEqual([503, 503, 200]);
    expect(retries.map((r) => [r.attempt, r.error.code, r.error.status])).toEqual([
      [1, 'http', 503],
      [2, 'http', 503],
    ]);
  });

  it('retries a GET after a 429 whose JSON body has an error field, waiting its Retry-After', async () => {
    await addFaults(handle.mock, {
      path: '/api/account/balance',
      status: 429,
      body: { error: 'Too many requests.' },
      headers: { 'Retry-After': '0' },
      times: 1,
    });
    const { client, retries } = clientWithRetries();
    expect(await client.account.balance()).toEqual({ balance: 91, currency: 'EUR' });
    expect((await journal(handle.mock)).map((e) => e.status)).toEqual([429, 200]);
    expect(retries.map((r) => [r.attempt, r.delayMs, r.error.code, r.error.status, r.error.body])).toEqual([
      [1, 0, 'http', 429, { error: 'Too many requests.' }],
    ]);
  });

  it('retries a GET after a dropped connection and after a timeout', async () => {
    await addFaults(
      handle.mock,
      { path: '/api/orders/list', drop: true, times: 1 },
      { path: '/api/orders/list', hang: true, times: 1 },
    );
    const { client, retries } = clientWithRetries();
    expect(await client.orders.list()).toHaveLength(5);
    expect(retries.map((r) => r.error.code)).toEqual(['network', 'timeout']);
  });

  it("gives up after the policy's retries, with the attempt count", async () => {
    await addFaults(handle.mock, { path: '/api/account/info', status: 500 });
    const { client } = clientWithRetries({ retry: { retries: 3, baseDelayMs: 1 } });
    const error = (await rejection(client.account.info())) as FornexError;
    expect(error).toMatchObject({ code: 'http', status: 500, attempts: 4 });
    expect(await journal(handle.mock)).toHaveLength(4);
  });

  it('backs off exponentially, up to maxDelayMs', async () => {
    await addFaults(handle.mock, { path: '/api/account/info', status: 500 });
    const { client, retries } = clientWithRetries({
      retry: { retries: 4, baseDelayMs: 2, maxDelayMs: 10, jitter: 0 },
    });
    await rejection(client.account.info());
    expect(retries.map((r) => r.delayMs)).toEqual([2, 4, 8, 10]);
  });

  it.each([
    ['a 5xx', { status: 503 }],
    ['a dropped connection', { drop: true }],
    ['a hanging request', { hang: true }],
  ])('never retries a POST after %s', async (_what, fault) => {
    await addFaults(handle.mock, { method: 'POST', path: '/api/vps/restart/*', times: 1, ...fault });
    const { client, retries } = clientWithRetries();
    const error = (await rejection(client.vps.restart('34-1234'))) as FornexError;
    expect(error.attempts).toBe(1);
    expect(retries).toEqual([]);
    expect(await settledJournal(handle.mock, 1)).toHaveLength(1);
  });

  it('never retries passwd_reset, a GET with a side effect', async () => {
    await addFaults(handle.mock, { path: '/api/vps/passwd_reset/*', status: 503, times: 1 });
    const { client, retries } = clientWithRetries();
    await rejection(client.vps.passwdReset('34-177054'));
    expect(retries).toEqual([]);
    expect(await journal(handle.mock)).toHaveLength(1);
  });

  it('never retries auth, api or validation errors', async () => {
    await addFaults(handle.mock, { path: '/api/account/balance', body: { balance: 'x' } });
    const { client, retries } = clientWithRetries();
    const wrongKey = clientWithRetries({ apiKey: 'NOT_A_KEY' });
    const codes = await Promise.all([
      rejection(wrongKey.client.account.info()),
      rejection(client.vps.status('34-999999')),
      rejection(client.account.balance()),
    ]);
    expect(codes.map((e) => (e as FornexError).code)).toEqual(['auth', 'api', 'validation']);
    expect([...retries, ...wrongKey.retries]).toEqual([]);
  });

  it('does not retry when retry is false', async () => {
    await addFaults(handle.mock, { path: '/api/account/balance', status: 503, times: 1 });
    const { client, retries } = clientWithRetries({ retry: false });
    await rejection(client.account.balance());
    expect(retries).toEqual([]);
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    await addFaults(handle.mock, { path: '/api/account/balance', status: 503 });
    const controller = new AbortController();
    const { client } = clientWithRetries({
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
      hooks: { onRetry: () => controller.abort() },
    });
    const error = (await rejection(client.account.balance({ signal: controller.signal }))) as FornexError;
    expect(error).toMatchObject({ code: 'network', attempts: 1 });
    expect(await journal(handle.mock)).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  const handle = useMock('en');

  it('waits the delay the server asks for instead of the backoff', async () => {
    await addFaults(handle.mock, {
      path: '/api/account/balance',
      status: 503,
      headers: { 'Retry-After': '1' },
      times: 1,
    });
    const delays: number[] = [];
    const client = handle.client({
      retry: { baseDelayMs: 1, maxDelayMs: 1 },
      hooks: { onRetry: (event) => void delays.push(event.delayMs) },
    });
    expect(await client.account.balance()).toEqual({ balance: 91, currency: 'EUR' });
    expect(delays).toEqual([1000]);
    expect((await journal(handle.mock)).map((e) => e.status)).toEqual([503, 200]);
  });

  it('throws at once, with retryAfterMs, when the server asks for longer than maxRetryAfterMs', async () => {
    await addFaults(handle.mock, {
      path: '/api/account/balance',
      status: 503,
      body: 'busy',
      headers: { 'Retry-After': '120' },
    });
    const client = handle.client({ retry: { maxRetryAfterMs: 60_000 } });
    const error = (await rejection(client.account.balance())) as FornexError;
    expect(error).toMatchObject({ code: 'http', status: 503, retryAfterMs: 120_000, attempts: 1, body: 'busy' });
    expect(await journal(handle.mock)).toHaveLength(1);
  });
});
