import { describe, expect, it } from 'vitest';
import { admin, errorOf, get, post, type Reply, rawRequest, read, startMock } from './helpers.js';

const MIB = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';

function expectJsonError(reply: Reply, status: number): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/application\/json/);
  expect(errorOf(reply)).toEqual(expect.any(String));
  expect(reply.text).not.toMatch(/\n\s+at /);
}

describe('unknown paths and methods', () => {
  it('answers 404 JSON for unknown paths', async () => {
    const mock = await startMock();
    for (const path of ['/', '/api', '/api/', '/api/vps/status/', '/api/vps/status/34-177054', '/favicon.ico']) {
      expectJsonError(await get(mock, path), 404);
    }
  });

  it('answers 405 JSON with Allow for a known path under the wrong method', async () => {
    const mock = await startMock();
    const reply = await post(mock, '/api/vps/status/34-177054/');
    expectJsonError(reply, 405);
    expect(reply.headers.get('allow')).toBe('GET');
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const other = await read(await fetch(`${mock.url}/api/vps/restart/34-177054/`, { method }));
      expectJsonError(other, 405);
      expect(other.headers.get('allow')).toBe('POST');
    }
  });
});

describe('large bodies', () => {
  it('refuses a body over 1 MiB with 413 JSON (declared length)', async () => {
    const mock = await startMock();
    const reply = await post(mock, '/api/ssh_keys/add/', { title: 't', key: 'x'.repeat(MIB + 1) });
    expectJsonError(reply, 413);
    expect((await get(mock, '/api/account/balance')).status).toBe(200);
  });

  it('refuses a streamed body over 1 MiB with 413 JSON (no declared length)', async () => {
    const mock = await startMock();
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * MIB) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${mock.url}/api/ssh_keys/add/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      duplex: 'half',
    } as RequestInit);
    expectJsonError(await read(response), 413);
    expect((await get(mock, '/api/account/balance')).status).toBe(200);
  });

  it('accepts a body just under the cap', async () => {
    const mock = await startMock();
    const reply = await post(mock, '/api/ssh_keys/add/', { title: 't', key: 'x'.repeat(MIB - 1000) });
    expect(reply.status).toBe(200);
    // Valid enough to reach validation: the key is refused for what it is, not for its size.
    expect(errorOf(reply)).toMatch(/SSH|key/);
  });

  it('refuses an admin body over the cap with 413 JSON too', async () => {
    const mock = await startMock();
    const reply = await admin(mock, 'POST', '/faults', { body: 'x'.repeat(MIB + 1) });
    expectJsonError(reply, 413);
  });
});

describe('malformed encodings', () => {
  it('a malformed percent-encoding in the path answers a clear error', async () => {
    const mock = await startMock();
    const reply = await rawRequest(mock, 'GET', '/api/vps/status/%E0%A4%A/?apikey=PERSONAL_API_KEY');
    expect(reply.status).toBeLessThan(500);
    expect(errorOf(reply)).toMatch(/percent-encoding/);
    const lone = await rawRequest(mock, 'GET', '/api/dns/v0.1/ex%ample.com/zone_file/?apikey=PERSONAL_API_KEY');
    expect(lone.status).toBeLessThan(500);
    expect(errorOf(lone)).toMatch(/percent-encoding/);
  });

  it('a malformed percent-encoding in the query answers an error, not a 5xx', async () => {
    const mock = await startMock();
    const badKey = await rawRequest(mock, 'GET', '/api/account/balance?apikey=%E0%A4%A');
    expectJsonError(badKey, 403);
    const badParam = await rawRequest(
      mock,
      'GET',
      '/api/vps/log_details/34-177054/?log_id=%zz1&apikey=PERSONAL_API_KEY',
    );
    expect(badParam.status).toBeLessThan(500);
    expect(errorOf(badParam)).toMatch(/log_id/);
  });

  it('a malformed percent-encoding or invalid UTF-8 in the body answers an error, not a 5xx', async () => {
    const mock = await startMock();
    const path = '/api/ssh_keys/add/';
    const badEscape = await rawRequest(mock, 'POST', path, {
      body: 'apikey=PERSONAL_API_KEY&title=%E0%A4%A&key=%zz',
      contentType: FORM,
    });
    expect(badEscape.status).toBeLessThan(500);
    expect(errorOf(badEscape)).toEqual(expect.any(String));

    const badUtf8 = Buffer.concat([
      Buffer.from('apikey=PERSONAL_API_KEY&title='),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('&key=x'),
    ]);
    const reply = await rawRequest(mock, 'POST', path, { body: badUtf8, contentType: FORM });
    expect(reply.status).toBeLessThan(500);
    expect(errorOf(reply)).toEqual(expect.any(String));

    const badKey = await rawRequest(mock, 'POST', '/api/vps/restart/34-177054/', {
      body: 'apikey=%E0%A4%A',
      contentType: FORM,
    });
    expectJsonError(badKey, 403);
  });

  it('never answers 5xx to a battery of odd requests', async () => {
    const mock = await startMock();
    const paths = [
      '/api/vps_stat/34-177054/cpu/2020-02-30--2020-03-01.json',
      '/api/vps_stat/34-177054/nope/2020-01-01--2020-01-02.json',
      '/api/vps_stat/34-177054/cpu/2020-01-01--2025-01-01.json',
      '/api/vps/status/..%2F..%2Fetc/',
      '/api/vps/log_details/34-177054/?log_id=99999999999999999999',
      `/api/dns/v0.1/domain_list.json?q=${'x'.repeat(300)}`,
      '/api/vpn/301-12312/config-icmp.ovpn',
      '/api/ds/34-5678/traffic.json?port=-1',
      '/api/ssh_keys/%00/',
    ];
    for (const path of paths) {
      const reply = await rawRequest(mock, 'GET', `${path}${path.includes('?') ? '&' : '?'}apikey=PERSONAL_API_KEY`);
      expect(reply.status, path).toBeLessThan(500);
      expect(reply.text, path).not.toMatch(/\n\s+at /);
    }
  });
});
