import { Agent } from 'node:http';
import { connect } from 'node:net';
import { type EndpointDefinition, endpoints } from '@fornex-flow/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMockServer, startMockServer } from '../src/index.js';
import { type Reply, rawRequest } from './helpers.js';

// Property tests of the mock's promise: whatever a client sends, the answer is never a 5xx and
// never a stack trace, and a 200 JSON answer is either an `error` or valid under the contract.

let mock: RunningMockServer;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function send(method: string, path: string, body?: Buffer | string, contentType?: string): Promise<Reply> {
  return rawRequest(mock, method, path, { body, contentType, agent });
}

function assertSane(reply: Reply, method: string): void {
  expect(reply.status, reply.text).toBeLessThan(500);
  expect(reply.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (reply.status !== 200 && method !== 'HEAD') {
    const parsed = JSON.parse(reply.text) as { error?: unknown };
    expect(typeof parsed.error).toBe('string');
  }
}

// Path pieces that exercise the router: real prefixes, encodings, broken escapes, dot segments.
const segment = fc.oneof(
  fc.constantFrom('api', 'vps', 'dns', 'v0.1', 'ssh_keys', 'change_ns', 'entry_set', 'add', '34-177054', 'example.com'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom('%', '%G1', '%E0%A4%A', '%00', '..', '.', '%2F', '%2e%2e', 'traffic.json', 'x--y.json'),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map(encodeURIComponent),
);
const rawPath = fc.array(segment, { maxLength: 7 }).map((parts) => `/${parts.join('/')}`);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');
const query = fc.oneof(
  fc.constant(''),
  fc.constant('?apikey=PERSONAL_API_KEY'),
  fc
    .array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 4 })
    .map(
      (pairs) =>
        `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}&apikey=PERSONAL_API_KEY`,
    ),
  fc.constantFrom('?%', '?a=%ZZ&apikey=PERSONAL_API_KEY', '?apikey=%E0%A4%A'),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    'apikey=PERSONAL_API_KEY&key_pk=%',
    'apikey=PERSONAL_API_KEY&nss=,,,',
    '{"apikey": "PERSONAL_API_KEY"}',
  ),
);
const contentType = fc.constantFrom(
  undefined,
  'application/x-www-form-urlencoded',
  'application/json',
  'text/plain; charset=latin1',
  'multipart/form-data; boundary=x',
);

const table = endpoints as readonly EndpointDefinition[];

/** A value for a parameter: sometimes plausible, often hostile. */
const paramValue = fc.oneof(
  fc.constantFrom(
    '34-177054',
    '34-1234',
    'example.com',
    '366182',
    '67',
    '600',
    'A',
    'MX',
    'traffic',
    '2015-11-16',
    'udp',
  ),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e3',
    '99999999999999999999',
    '1.5',
    'null',
    'true',
    '<script>',
    "'; DROP",
    '..',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});

afterAll(async () => {
  agent.destroy();
  await mock.close();
});

describe('the mock under hostile input', () => {
  it('never answers 5xx or a stack trace, whatever the method, path, query and body', async () => {
    await fc.assert(
      fc.asyncProperty(method, rawPath, query, body, contentType, async (m, path, q, b, type) => {
        const reply = await send(m, `${path}${q}`, m === 'GET' || m === 'HEAD' ? undefined : b, type);
        assertSane(reply, m);
      }),
      { numRuns: 400 },
    );
    // Hundreds of real HTTP requests: more than the default 5 s on a loaded machine.
  }, 60_000);

  it('answers every endpoint with an error or a body valid under the contract', async () => {
    const endpoint = fc.constantFrom(...table);
    await fc.assert(
      fc.asyncProperty(
        endpoint,
        fc.dictionary(fc.constantFrom('order_id', 'order', 'name', 'pk', 'field', 'start', 'end', 'proto'), paramValue),
        fc.dictionary(
          fc.constantFrom(
            'log_id',
            'key_pk',
            'title',
            'key',
            'host',
            'type',
            'value',
            'ttl',
            'prio',
            'ip',
            'q',
            'tag',
            'url',
            'nss',
            'period',
            'port',
            'name',
          ),
          paramValue,
        ),
        async (ep, pathValues, fields) => {
          const path = ep.path.replace(/\{([a-z_]+)\}/g, (_, name: string) =>
            encodeURIComponent(pathValues[name] ?? '34-177054'),
          );
          const form = new URLSearchParams({ ...fields, apikey: 'PERSONAL_API_KEY' }).toString();
          const reply =
            ep.method === 'GET'
              ? await send('GET', `${path}?${form}`)
              : await send('POST', path, form, 'application/x-www-form-urlencoded');
          assertSane(reply, ep.method);
          if (reply.status !== 200 || ep.responseKind !== 'json') return;
          const parsed = JSON.parse(reply.text) as unknown;
          if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) return;
          const check = ep.response.en.safeParse(parsed);
          expect(check.success, `${ep.id}: ${reply.text.slice(0, 200)}`).toBe(true);
        },
      ),
      { numRuns: 600 },
    );
    // Hundreds of real HTTP requests: more than the default 5 s on a loaded machine.
  }, 60_000);

  it('answers bytes that are not HTTP at all with a JSON 400, and keeps serving', async () => {
    const url = new URL(mock.url);
    const raw = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => socket.end(bytes));
        let out = '';
        socket.on('data', (d) => {
          out += d.toString('latin1');
        });
        socket.on('close', () => resolve(out));
        socket.on('error', () => resolve(out));
      });
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        const answer = await raw(Buffer.concat([Buffer.from('GET /\u0000 HTTP/9.9\r\n'), Buffer.from(bytes)]));
        // Node may close without a word when it has nothing to parse; when it answers, it is our JSON 400.
        if (answer !== '') answered++;
        if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 400 [\s\S]*\{"error": "Malformed HTTP request\."\}$/);
      }),
      { numRuns: 50 },
    );
    expect(answered).toBeGreaterThan(0);
    const after = await send('GET', '/api/account/balance?apikey=PERSONAL_API_KEY');
    expect(after.text).toBe('{"balance": 91.0, "currency": "EUR"}');
  });

  it('refuses an oversized body with 413, not a crash', async () => {
    const big = `apikey=PERSONAL_API_KEY&title=${'a'.repeat(1024 * 1024 + 10)}`;
    const reply = await send('POST', '/api/ssh_keys/add/', big, 'application/x-www-form-urlencoded');
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text).error).toMatch(/larger than/);
  });
});
