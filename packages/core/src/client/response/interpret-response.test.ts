import { describe, expect, it } from 'vitest';
import type { EndpointDefinition } from '../../api/define-endpoint.js';
import { getEndpoint } from '../../api/endpoints/index.js';
import { interpretResponse } from './interpret-response.js';

const balance = getEndpoint('account.balance') as EndpointDefinition;
const zoneFile = getEndpoint('dns.zoneFile') as EndpointDefinition;
const answer = (status: number, contentType: string, text: string) => ({
  status,
  text,
  header: (name: string) => (name === 'content-type' ? contentType : null),
});
const json = (status: number, body: unknown) =>
  answer(status, 'application/json', typeof body === 'string' ? body : JSON.stringify(body));

describe('interpretResponse', () => {
  it.each([
    ['403', json(403, { error: 'no key' }), 'auth'],
    ['403 without JSON', answer(403, 'text/html', '<h1>Forbidden</h1>'), 'auth'],
    ['500 with an error field', json(500, { error: 'down' }), 'http'],
    ['503 HTML', answer(503, 'text/html', '<h1>Server Error (503)</h1>'), 'http'],
    ['429 with an error field', json(429, { error: 'Too many requests.' }), 'http'],
    ['429 without JSON', answer(429, 'text/plain', 'slow down'), 'http'],
    ['200 with an error field', json(200, { error: 'Order not found.' }), 'api'],
    ['400 with an error field', json(400, { error: 'bad' }), 'api'],
    ['404 without one', answer(404, 'text/plain', 'nope'), 'http'],
    ['200 off the contract', json(200, { balance: 'x', currency: 'EUR' }), 'validation'],
    ['200 not JSON', answer(200, 'application/json', '{"ok": tr'), 'validation'],
  ])('%s is %s', (_what, answer, code) => {
    expect(interpretResponse(balance, answer)).toMatchObject({ ok: false, code });
  });

  it("keeps a 429's error field in the detail and the body, though the code is http", () => {
    expect(interpretResponse(balance, json(429, { error: 'Too many requests.' }))).toEqual({
      ok: false,
      code: 'http',
      detail: 'too many requests (HTTP 429): Too many requests.',
      body: { error: 'Too many requests.' },
    });
  });

  it('keeps the parsed body, or the text cut at 4 KiB', () => {
    expect(interpretResponse(balance, json(403, { error: 'no key' }))).toMatchObject({ body: { error: 'no key' } });
    const long = answer(502, 'text/html', 'x'.repeat(10_000));
    expect(interpretResponse(balance, long)).toMatchObject({ body: 'x'.repeat(4096) });
  });

  it('answers the value of a JSON endpoint and the text of a text endpoint', () => {
    expect(interpretResponse(balance, json(200, { balance: 91.0, currency: 'EUR' }))).toEqual({
      ok: true,
      value: { balance: 91, currency: 'EUR' },
    });
    const zone = '$TTL 21600\n@ IN SOA ns1.fornex.com. hostmaster.fornex.com. (1 2 3 4 5)\n';
    expect(interpretResponse(zoneFile, answer(200, 'text/plain', zone))).toEqual({
      ok: true,
      value: zone,
    });
  });

  it('reads the error of a text endpoint answered as JSON, and refuses other JSON there', () => {
    expect(interpretResponse(zoneFile, json(200, { error: 'Domain not found.' }))).toMatchObject({
      ok: false,
      code: 'api',
      detail: expect.stringContaining('Domain not found.'),
    });
    expect(interpretResponse(zoneFile, json(200, { zone: 'x' }))).toMatchObject({ ok: false, code: 'validation' });
  });
});
