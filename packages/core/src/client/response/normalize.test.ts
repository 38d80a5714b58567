import { describe, expect, it } from 'vitest';
import type { EndpointDefinition } from '../../api/define-endpoint.js';
import { getEndpoint, isEndpointId } from '../../api/endpoints/index.js';
import { documentedExamples } from '../../api/fixtures/documented-examples.js';
import { validateResponse } from './normalize.js';

function endpointOf(id: string): EndpointDefinition {
  if (!isEndpointId(id)) throw new Error(`unknown id ${id}`);
  return getEndpoint(id) as EndpointDefinition;
}

function normalized(id: string, dialect: 'en' | 'ru'): unknown {
  const example = documentedExamples.find((e) => e.id === id && e.dialect === dialect);
  if (!example) throw new Error(`no ${dialect} example of ${id}`);
  const data = example.responseKind === 'json' ? JSON.parse(example.response) : example.response;
  const result = validateResponse(endpointOf(id), data);
  if (!result.ok) throw new Error(`${id} (${dialect}): ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** The type skeleton of a value: the same for two values of one normalized type. */
function skeleton(value: unknown, dropped: readonly string[]): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [skeleton(value[0], dropped)];
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const entries = Object.entries(value).filter(([key]) => !dropped.includes(key));
  return Object.fromEntries(entries.map(([key, item]) => [key, skeleton(item, dropped)]).sort());
}

// Fields one dialect sends and the other does not: optional in the normalized types.
const enOnly: Record<string, readonly string[]> = {
  'orders.list': ['tariff_id', 'tariff_price'],
  // ru has no locations at all: its list is empty (checked below).
  'plans.dedicated': ['location', 'locations'],
  'vps.passwdReset': ['resp_id'],
  'dns.records': ['ttl'],
  'dns.domainList': ['ttl'],
};
// Documented values that are null in one document and set in the other.
const nullable: Record<string, readonly string[]> = {
  'tickets.webhookInfo': ['last_error_date', 'last_error_message'],
  'dns.records': ['prio'],
};

const ids = [...new Set(documentedExamples.map((e) => e.id))];
const inBoth = ids.filter((id) => documentedExamples.filter((e) => e.id === id).length === 2);

describe('normalization of the documented examples', () => {
  it.each(ids)('%s: every documented example validates and normalizes', (id) => {
    for (const example of documentedExamples.filter((e) => e.id === id)) {
      expect(() => normalized(id, example.dialect)).not.toThrow();
    }
  });

  it.each(inBoth)('%s: both dialects normalize to one shape', (id) => {
    const dropped = [...(enOnly[id] ?? []), ...(nullable[id] ?? [])];
    expect(skeleton(normalized(id, 'ru'), dropped)).toEqual(skeleton(normalized(id, 'en'), dropped));
  });

  it('normalizes the documented quirks', () => {
    expect(normalized('vps.restart', 'en')).toEqual({ ok: true });
    expect(normalized('domains.changeNs', 'ru')).toEqual({ ok: true });
    expect(normalized('sshKeys.add', 'ru')).toMatchObject({ id: expect.any(Number), title: expect.any(String) });
    expect(normalized('vps.passwdReset', 'en')).toEqual({ passwd: 'newstrongpassword', resp_id: 1234 });
    expect(normalized('vps.passwdReset', 'ru')).toEqual({ passwd: expect.any(String) });
    expect(normalized('plans.hosting', 'ru')).toMatchObject([
      { databases: expect.any(Number), mail_domains: expect.any(Number), mailboxes: expect.any(Number) },
    ]);
    expect(normalized('plans.dedicated', 'en')).toMatchObject([{ location: 'DE', locations: ['DE'] }]);
    expect(normalized('plans.dedicated', 'ru')).toMatchObject([{ locations: [] }]);
  });

  it('turns "False" into false, and takes a locations list', () => {
    expect(validateResponse(endpointOf('vps.stop'), { ok: 'False' })).toEqual({ ok: true, value: { ok: false } });
    const plan = { bandwidth: '1', cpu_model: 'x', cpu_count: 1, disk: 'd', name: 'n', id: 1, price: 1, ram: 'r' };
    const result = validateResponse(endpointOf('plans.dedicated'), [{ ...plan, locations: ['NL', 'US'] }]);
    expect(result).toEqual({ ok: true, value: [{ ...plan, location: 'NL', locations: ['NL', 'US'] }] });
  });

  it('reports the issues of a body that matches neither dialect, and checks only a pinned one', () => {
    const mismatch = validateResponse(endpointOf('vps.passwdReset'), { passwd: 1 });
    expect(mismatch).toMatchObject({ ok: false, issues: [{ path: 'resp_id' }, { path: 'passwd' }] });
    expect(validateResponse(endpointOf('vps.passwdReset'), { passwd: 'p', ok: true }, 'en').ok).toBe(false);
    expect(validateResponse(endpointOf('vps.passwdReset'), { passwd: 'p', ok: true }, 'ru').ok).toBe(true);
  });
});
