// The API key appears in nothing the client produces: messages, causes, stacks, serialized errors,
// hook payloads and log lines, for successes and for every error code. The key is a distinctive
// one registered in the mock's world, with characters that URL and form encodings change.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type FornexClientOptions, FornexErrorCode, isFornexError } from '../../src/index.js';
import { addFaults, changeWorld, useMock } from './helpers.js';

const SECRET = 'SECRET-k3y/xyz+1=';
const SECRET_LIMITED = 'SECRET-l1m/xyz+2=';
const SECRET_UNKNOWN = 'SECRET-unk/xyz+3=';
const spellings = (key: string) => [key, encodeURIComponent(key), new URLSearchParams({ k: key }).toString().slice(2)];

/** Everything a client produced, as text. */
function createCollector() {
  const texts: string[] = [];
  const codes = new Set<string>();
  const show = (value: unknown) => {
    texts.push(JSON.stringify(value) ?? 'undefined', inspect(value, { depth: null, showHidden: true }));
  };
  const options: Partial<FornexClientOptions> = {
    logger: (line) => texts.push(line),
    hooks: {
      onRequest: show,
      onResponse: show,
      onRetry: show,
      onError: show,
    },
  };
  return {
    options,
    texts,
    codes,
    /** Runs a call and records its result or its error, in every form a user could log it. */
    async run(call: () => Promise<unknown>) {
      try {
        show(await call());
      } catch (error) {
        if (!isFornexError(error)) throw error;
        codes.add(error.code);
        texts.push(error.message, String(error.stack), String(error));
        show(error);
        for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
          texts.push(cause.message, String(cause.stack));
        }
      }
    },
  };
}

describe.each(['en', 'ru'] as const)('the key never appears, %s dialect', (dialect) => {
  const handle = useMock(dialect);

  it('in anything the client produces, on success and on every error code', async () => {
    await changeWorld(handle.mock, (state) => {
      state.keys.push({ key: SECRET, tenant: 'personal', dnsEdit: true });
      state.keys.push({ key: SECRET_LIMITED, tenant: 'personal', dnsEdit: false });
    });
    const collector = createCollector();
    const make = (apiKey: string, extra: Partial<FornexClientOptions> = {}) =>
      handle.client({ apiKey, ...collector.options, ...extra });
    const client = make(SECRET);
    const { run } = collector;

    // Successes: the key is really used, and works.
    await run(() => client.account.balance());
    await run(() => client.vps.restart('34-1234'));
    await run(() => client.sshKeys.list());
    expect(collector.codes).toEqual(new Set());

    // 403: a right the key lacks, and a key the service does not know.
    await run(() => make(SECRET_LIMITED).dns.addDomain('new.org', '192.0.2.1'));
    await run(() => make(SECRET_UNKNOWN).account.info());
    // api errors, and a server that echoes the key back in its error text, with 200 and 5xx.
    await run(() => client.vps.status('34-999999'));
    await addFaults(
      handle.mock,
      { path: '/api/account/invoices', body: { error: `invalid key ${SECRET}` }, times: 1 },
      { path: '/api/account/invoices', status: 500, body: `proxy: apikey=${encodeURIComponent(SECRET)}`, times: 1 },
    );
    await run(() => client.account.invoices());
    await run(() => make(SECRET, { retry: false }).account.invoices());
    // validation: parameters (never sent), a body off the contract, a truncated body.
    await run(() => client.request('dns.addRecord', { name: 'example.com', host: 'x', type: 'A', value: SECRET }));
    await addFaults(
      handle.mock,
      { path: '/api/orders/list', body: { echo: SECRET }, times: 1 },
      { path: '/api/plans/vpn', malformed: true, times: 1 },
    );
    await run(() => client.orders.list());
    await run(() => client.plans.vpn());
    // 5xx with retries (retry hooks and log lines), network drops on GET and POST, a timeout.
    await addFaults(
      handle.mock,
      { path: '/api/plans/vps', status: 503 },
      { path: '/api/plans/backups', drop: true },
      { method: 'POST', path: '/api/ssh_keys/delete/', drop: true },
      { path: '/api/plans/hosting', hang: true },
    );
    // A query that quotes the key, failing: in the URL of the events, the error and its message,
    // and the same without hooks or logger (the URL shown only by the error).
    await addFaults(handle.mock, { path: '/api/dns/v0.1/domain_list.json', status: 503 });
    await run(() => client.dns.domainList({ q: SECRET }));
    await run(() => handle.client({ apiKey: SECRET, retry: false }).dns.domainList({ q: SECRET }));
    await run(() => client.plans.vps());
    await run(() => client.plans.backups());
    await run(() => client.sshKeys.delete(99));
    await run(() => make(SECRET, { timeoutMs: 100 }).plans.hosting());
    // A custom fetch whose own error quotes the URL and the body, key included.
    const quoting: typeof fetch = async (input, init) => {
      await fetch(input, init);
      throw new TypeError(`upstream refused ${String(input)} with ${String(init?.body)}`);
    };
    await run(() => make(SECRET, { fetch: quoting, retry: false }).account.balance());
    await run(() => make(SECRET, { fetch: quoting }).sshKeys.addToOrder('34-177054', 99));

    expect(collector.codes).toEqual(new Set(Object.values(FornexErrorCode)));
    const everything = [...collector.texts, inspect(client, { depth: null, showHidden: true }), JSON.stringify(client)];
    // The test can fail: the key did pass through the client, redacted.
    expect(everything.join('\n')).toContain('[REDACTED]');
    for (const spelling of [...spellings(SECRET), ...spellings(SECRET_LIMITED), ...spellings(SECRET_UNKNOWN)]) {
      const leaks = everything.filter((text) => text.includes(spelling));
      expect(leaks, `"${spelling}" leaked`).toEqual([]);
    }
  });
});
