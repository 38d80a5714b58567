import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EndpointDefinition } from '../api/define-endpoint.js';
import { endpoints, getEndpoint } from '../api/endpoints/index.js';
import { createPathTemplate } from '../api/path-template.js';
import { encodeRequest } from './encode-request.js';

const endpoint = (id: Parameters<typeof getEndpoint>[0]) => getEndpoint(id) as EndpointDefinition;

describe('encodeRequest', () => {
  it('fills the path template and form-encodes the other parameters', () => {
    expect(encodeRequest(endpoint('vps.logDetails'), { order_id: '34-177054', log_id: '222287' })).toEqual({
      ok: true,
      request: { path: '/api/vps/log_details/34-177054/', form: 'log_id=222287' },
    });
    expect(
      encodeRequest(endpoint('vps.stats'), { order_id: '34-1', field: 'cpu', start: '2015-11-16', end: '2015-11-17' }),
    ).toEqual({ ok: true, request: { path: '/api/vps_stat/34-1/cpu/2015-11-16--2015-11-17.json', form: '' } });
  });

  it('writes nss comma-separated from a list or a string', () => {
    const changeNs = endpoint('domains.changeNs');
    const fromList = encodeRequest(changeNs, { order_id: '375-13', nss: ['ns1.a.com', 'ns2.a.com'] });
    const fromString = encodeRequest(changeNs, { order_id: '375-13', nss: ' ns1.a.com , ns2.a.com ' });
    expect(fromList).toEqual(fromString);
    expect(fromList).toMatchObject({ request: { form: 'nss=ns1.a.com%2Cns2.a.com' } });
  });

  it("uses a dialect's documented path when asked", () => {
    const params = { order_id: '375-13', nss: 'ns1.a.com' };
    expect(encodeRequest(endpoint('domains.changeNs'), params, 'ru')).toMatchObject({
      request: { path: '/change_ns/375-13/' },
    });
    expect(encodeRequest(endpoint('domains.changeNs'), params, 'en')).toMatchObject({
      request: { path: '/api/change_ns/375-13/' },
    });
  });

  it('leaves optional parameters out when they are not given', () => {
    expect(encodeRequest(endpoint('ds.traffic'), { order_id: '34-1' })).toMatchObject({ request: { form: '' } });
  });

  it.each([
    ['vps.restart', { order_id: '34-1/../x' }, 'order_id'],
    ['dns.records', { name: 'example.com/../../x' }, 'name'],
    ['dns.records', { name: '%2e%2e' }, 'name'],
    ['vpn.config', { order: '301-12312', proto: 'udp/../../x' }, 'proto'],
    ['dns.addRecord', { name: 'a.com', host: 'x', type: 'A', value: '1.2.3.4', ttl: 61 }, 'ttl'],
    ['vps.restart', {}, 'order_id'],
    ['account.balance', { extra: 1 }, '(root)'],
  ] as const)('refuses bad parameters of %s: %o', (id, params, path) => {
    const result = encodeRequest(endpoint(id), params);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.issues.map((issue) => issue.path)).toContain(path);
  });

  // The contract's schemas are the first line; these values bypass them (every path parameter
  // any string) to show that the encoding alone keeps a request on its endpoint's path, as the
  // URL that fetch resolves (dot segments and all) sees it.
  const hostile = ['../../admin', 'a/b', '%2e%2e', '.%2E', '...', '?apikey=x#frag', 'x&apikey=y', '\\..\\x', ' é\n'];
  const samples: Record<string, string> = {
    order_id: '34-1',
    order: '34-1',
    name: 'example.com',
    pk: '5',
    field: 'cpu',
    start: '2020-01-01',
    end: '2020-01-02',
    proto: 'tcp',
  };
  const bypassed = (e: EndpointDefinition): EndpointDefinition => ({
    ...e,
    pathParams: Object.fromEntries(Object.keys(e.pathParams).map((name) => [name, z.string()])),
    params: {},
  });

  it('keeps every endpoint on its path template, whatever its path parameters hold', () => {
    for (const e of endpoints as readonly EndpointDefinition[]) {
      const template = createPathTemplate(e.path);
      for (const value of hostile) {
        for (const target of template.names) {
          const params = Object.fromEntries(template.names.map((n) => [n, n === target ? value : samples[n]]));
          const result = encodeRequest(bypassed(e), params);
          expect(result.ok, `${e.id} ${target}=${value}`).toBe(true);
          if (!result.ok) continue;
          const { pathname, search, hash } = new URL(`https://fornex.com${result.request.path}`);
          expect(pathname, `${e.id} ${target}=${value}`).toBe(result.request.path);
          expect(search + hash).toBe('');
          expect(template.match(pathname), `${e.id} ${target}=${value}`).toEqual(params);
        }
      }
    }
  });

  it('refuses a path parameter of "." or "..", which no encoding keeps in its place', () => {
    for (const e of endpoints as readonly EndpointDefinition[]) {
      const names = Object.keys(e.pathParams);
      for (const value of ['.', '..']) {
        for (const target of names) {
          const params = Object.fromEntries(names.map((n) => [n, n === target ? value : samples[n]]));
          expect(encodeRequest(bypassed(e), params), `${e.id} ${target}=${value}`).toEqual({
            ok: false,
            issues: [{ path: target, message: `path parameter ${target} cannot be "." or ".."` }],
          });
        }
      }
    }
  });
});
