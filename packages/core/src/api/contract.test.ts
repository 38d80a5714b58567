import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderApiCoverage } from './coverage.js';
import type { EndpointDefinition } from './define-endpoint.js';
import { endpointPaths } from './endpoint-paths.js';
import { endpoints, getEndpoint, isEndpointId } from './endpoints/index.js';
import { documentedExamples } from './fixtures/documented-examples.js';
import { createOpenApiDocument } from './openapi.js';
import { createPathTemplate } from './path-template.js';

const expectedIds = [
  'account.balance',
  'account.info',
  'account.invoices',
  'orders.list',
  'plans.backups',
  'plans.dedicated',
  'plans.vpn',
  'plans.vps',
  'plans.hosting',
  'vps.logDetails',
  'vps.stop',
  'vps.start',
  'vps.hardReset',
  'vps.restart',
  'vps.passwdReset',
  'vps.stats',
  'vps.status',
  'sshKeys.add',
  'sshKeys.addToOrder',
  'sshKeys.delete',
  'sshKeys.deleteFromOrder',
  'sshKeys.listForOrder',
  'sshKeys.list',
  'ds.traffic',
  'ds.trafficUsed',
  'tickets.webhookSet',
  'tickets.webhookInfo',
  'vpn.config',
  'dns.addDomain',
  'dns.addRecord',
  'dns.deleteDomain',
  'dns.deleteRecord',
  'dns.domainList',
  'dns.records',
  'dns.updateRecord',
  'dns.zoneFile',
  'domains.changeNs',
];
const table = endpoints as readonly EndpointDefinition[];

/** The documented URL (`/api/ds/34-[order_id]/...`) as our template writes it. */
function documentedTemplate(url: string): string {
  return url.replace('34-[order_id]', '{order_id}').replace(/\[([a-z_]+)\]/g, '{$1}');
}

describe('the contract table', () => {
  it('declares exactly the 37 documented endpoints, once each', () => {
    expect(table.map((e) => e.id).sort()).toEqual([...expectedIds].sort());
    expect(isEndpointId('vps.restart')).toBe(true);
    expect(isEndpointId('vps.explode')).toBe(false);
    expect(getEndpoint('vps.restart').method).toBe('POST');
  });

  it('lists every path an endpoint is served at, its own first, without repeats', () => {
    expect(endpointPaths(getEndpoint('domains.changeNs'))).toEqual([
      '/api/change_ns/{order_id}/',
      '/change_ns/{order_id}/',
    ]);
    expect(endpointPaths(getEndpoint('vps.restart'))).toEqual(['/api/vps/restart/{order_id}/']);
    expect(endpointPaths({ path: '/a/', dialectPaths: { ru: '/a/' } })).toEqual(['/a/']);
  });

  it('matches every documented URL and method', () => {
    for (const example of documentedExamples) {
      const endpoint = getEndpoint(example.id as never) as EndpointDefinition;
      expect(endpointPaths(endpoint), example.id).toContain(documentedTemplate(example.url));
      expect(endpoint.method, example.id).toBe(example.method);
      expect(endpoint.responseKind, example.id).toBe(example.responseKind);
      expect(endpoint.documentedIn, example.id).toContain(example.dialect);
    }
  });

  it('parses every documented response example with its dialect schema', () => {
    expect(documentedExamples).toHaveLength(73);
    for (const example of documentedExamples) {
      const endpoint = getEndpoint(example.id as never) as EndpointDefinition;
      const body = example.responseKind === 'json' ? JSON.parse(example.response) : example.response;
      const parsed = endpoint.response[example.dialect].safeParse(body);
      expect(parsed.success, `${example.dialect} ${example.id}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('marks the one GET with a side effect (passwd_reset), which nothing may retry', () => {
    const marked = (endpoints as readonly EndpointDefinition[]).filter((endpoint) => endpoint.sideEffect);
    expect(marked.map((endpoint) => [endpoint.id, endpoint.method])).toEqual([['vps.passwdReset', 'GET']]);
  });

  it('tells the dialects apart where the documents differ', () => {
    const ruPasswd = documentedExamples.find((e) => e.id === 'vps.passwdReset' && e.dialect === 'ru');
    const sshAddRu = documentedExamples.find((e) => e.id === 'sshKeys.add' && e.dialect === 'ru');
    expect(getEndpoint('vps.passwdReset').response.en.safeParse(JSON.parse(ruPasswd?.response ?? '')).success).toBe(
      false,
    );
    expect(getEndpoint('sshKeys.add').response.en.safeParse(JSON.parse(sshAddRu?.response ?? '')).success).toBe(false);
  });

  it('parses the documented request parameters of every example', () => {
    for (const example of documentedExamples) {
      if (!example.curl) continue;
      const endpoint = getEndpoint(example.id as never) as EndpointDefinition;
      const data = /--data "([^"]*)"/.exec(example.curl)?.[1] ?? '';
      const fields = Object.fromEntries(new URLSearchParams(data));
      delete fields.apikey;
      const url = /curl "https:\/\/fornex\.com([^"]+)"/.exec(example.curl)?.[1] ?? '';
      const template = endpointPaths(endpoint)
        .map(createPathTemplate)
        .find((t) => t.match(url));
      const pathParams = template?.match(url);
      expect(pathParams, `${example.id} ${url}`).toBeTruthy();
      expect(z.object(endpoint.pathParams).safeParse(pathParams).success, example.id).toBe(true);
      const parsed = z.object(endpoint.params).safeParse(fields);
      expect(parsed.success, `${example.id}: ${parsed.error?.message}`).toBe(true);
    }
  });
});

describe('derived artefacts', () => {
  it('builds an OpenAPI 3.1 document with one operation per endpoint', () => {
    const doc = createOpenApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.filter((id) => !id.endsWith('.ru')).sort()).toEqual([...expectedIds].sort());
    expect(ids).toContain('domains.changeNs.ru');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('keeps docs/api-coverage.md up to date (run `npm run gen:coverage`)', () => {
    const path = fileURLToPath(new URL('../../../../docs/api-coverage.md', import.meta.url));
    expect(readFileSync(path, 'utf8')).toBe(renderApiCoverage());
  });
});
