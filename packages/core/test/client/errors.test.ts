// Every error code, from real answers of the mock (and its fault rules), with its context.
import { describe, expect, it } from 'vitest';
import { FornexError, isFornexError } from '../../src/index.js';
import { addFaults, journal, LIMITED, rejection, useMock } from './helpers.js';

async function failure(promise: Promise<unknown>): Promise<FornexError> {
  const error = await rejection(promise);
  if (!(error instanceof FornexError)) throw new Error(`expected a FornexError, got ${String(error)}`);
  return error;
}

describe.each(['en', 'ru'] as const)('errors, %s dialect', (dialect) => {
  const handle = useMock(dialect);

  it('auth: a key without the DNS-editing right gets 403 on a protected method', async () => {
    const error = await failure(handle.client({ apiKey: LIMITED }).dns.addDomain('new.org', '192.0.2.1'));
    expect(error).toMatchObject({
      code: 'auth',
      endpointId: 'dns.addDomain',
      method: 'POST',
      status: 403,
      url: `${handle.mock.url}/api/dns/v0.1/add_domain/`,
      body: { error: expect.any(String) },
      attempts: 1,
      retryable: false,
    });
    expect(error.message).toContain('dns.addDomain');
  });

  it('auth: a wrong key gets 403 on a GET, and is not retried', async () => {
    const error = await failure(handle.client({ apiKey: 'WRONG_KEY' }).account.balance());
    expect(error).toMatchObject({ code: 'auth', status: 403, method: 'GET', attempts: 1, retryable: false });
    expect(error.url).toBe(`${handle.mock.url}/api/account/balance?apikey=[REDACTED]`);
    expect(await journal(handle.mock)).toHaveLength(1);
  });

  it('api: an error field with status 200 is an error, on JSON and text endpoints', async () => {
    const client = handle.client();
    const json = await failure(client.vps.status('34-999999'));
    expect(json).toMatchObject({
      code: 'api',
      status: 200,
      endpointId: 'vps.status',
      body: { error: expect.any(String) },
      retryable: false,
    });
    const text = await failure(client.dns.zoneFile('nowhere.org'));
    expect(text).toMatchObject({ code: 'api', status: 200, endpointId: 'dns.zoneFile' });
    expect(text.message).toContain(String((text.body as { error: string }).error));
  });

  it('api: a documented refusal (duplicate record) keeps the localized text in the body', async () => {
    const record = { host: 'www', type: 'A', value: '127.0.0.1' } as const;
    const error = await failure(handle.client().dns.records.add('example.com', record));
    const text = dialect === 'ru' ? 'Такая запись уже существует.' : expect.any(String);
    expect(error).toMatchObject({ code: 'api', status: 200, method: 'POST', body: { error: text } });
  });

  it('validation: an answer that does not match the contract, with its issues', async () => {
    await addFaults(handle.mock, { path: '/api/account/balance', body: { balance: '91', currency: 'EUR' } });
    const error = await failure(handle.client().account.balance());
    expect(error).toMatchObject({
      code: 'validation',
      status: 200,
      body: { balance: '91', currency: 'EUR' },
      retryable: false,
    });
    expect(error.issues).toEqual([{ path: 'balance', message: expect.stringContaining('number') }]);
  });

  it('validation: a truncated JSON body', async () => {
    await addFaults(handle.mock, { path: '/api/orders/list', malformed: true });
    const error = await failure(handle.client().orders.list());
    expect(error).toMatchObject({ code: 'validation', status: 200, body: '{"ok": tr' });
  });

  it('http: a 5xx, with its body, even when it carries an error field', async () => {
    await addFaults(
      handle.mock,
      { path: '/api/vps/restart/*', status: 502, times: 1 },
      { path: '/api/vps/stop/*', status: 503, body: { error: 'maintenance' }, times: 1 },
    );
    const client = handle.client();
    const bare = await failure(client.vps.restart('34-1234'));
    expect(bare).toMatchObject({
      code: 'http',
      status: 502,
      body: '<h1>Server Error (502)</h1>',
      method: 'POST',
      retryable: true,
    });
    const withError = await failure(client.vps.stop('34-1234'));
    expect(withError).toMatchObject({ code: 'http', status: 503, body: { error: 'maintenance' }, retryable: true });
  });

  it('http: an unexpected status without an error field', async () => {
    await addFaults(handle.mock, { path: '/api/account/info', status: 404, body: 'gone' });
    const error = await failure(handle.client().account.info());
    expect(error).toMatchObject({ code: 'http', status: 404, body: 'gone', retryable: false });
  });

  it('network: a dropped connection, with a cause and no status', async () => {
    await addFaults(handle.mock, { path: '/api/ssh_keys/delete/', drop: true });
    const error = await failure(handle.client().sshKeys.delete(99));
    expect(error).toMatchObject({
      code: 'network',
      status: undefined,
      endpointId: 'sshKeys.delete',
      method: 'POST',
      retryable: true,
    });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('timeout: a hanging request gives up after timeoutMs', async () => {
    await addFaults(handle.mock, { path: '/api/account/info', hang: true });
    const started = performance.now();
    const error = await failure(handle.client({ timeoutMs: 150, retry: false }).account.info());
    expect(error).toMatchObject({
      code: 'timeout',
      status: undefined,
      endpointId: 'account.info',
      attempts: 1,
      retryable: true,
    });
    // Not a timing assertion: proves the client did not wait for the mock's own limits.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('network: the caller aborting a hanging call', async () => {
    await addFaults(handle.mock, { path: '/api/account/info', hang: true });
    const controller = new AbortController();
    const call = handle.client().account.info({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(call);
    expect(error).toMatchObject({ code: 'network', attempts: 1, retryable: false });
    expect(error.message).toContain('aborted by the caller');
  });
});

describe('errors with the mock answering 400 for refusals', () => {
  const handle = useMock('en', { errorStatus: 400 });

  it('api: an error field with status 400', async () => {
    const error = await failure(handle.client().vps.status('34-999999'));
    expect(error).toMatchObject({ code: 'api', status: 400, retryable: false });
  });
});

describe('FornexError', () => {
  const handle = useMock('en');

  it('serializes to plain JSON with its whole context, and is recognized by isFornexError', async () => {
    const error = await failure(handle.client({ apiKey: LIMITED }).dns.deleteDomain('example.com'));
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: 'FornexError',
      code: 'auth',
      message: error.message,
      endpointId: 'dns.deleteDomain',
      method: 'POST',
      url: `${handle.mock.url}/api/dns/v0.1/example.com/delete_domain/`,
      status: 403,
      body: { error: expect.any(String) },
      attempts: 1,
      retryable: false,
    });
    expect(isFornexError(error)).toBe(true);
    expect(isFornexError(error, 'auth', 'api')).toBe(true);
    expect(isFornexError(error, 'network')).toBe(false);
    expect(isFornexError(new Error('x'))).toBe(false);
  });
});
