import {
  createPathTemplate,
  type EndpointDefinition,
  endpointPaths,
  endpoints,
  MalformedPathError,
} from '@fornex-flow/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRouter } from './router.js';

// The router skips templates by their literal prefix and groups them by first segments: it must
// answer exactly what trying every template of every endpoint in declaration order answers.
const all = (endpoints as readonly EndpointDefinition[]).flatMap((endpoint) =>
  endpointPaths(endpoint).map((path) => ({ endpoint, template: createPathTemplate(path) })),
);

/** What a lookup gave, in one shape for both sides. */
interface Found {
  kind: string;
  id?: string;
  params?: Record<string, string>;
  allow?: readonly string[];
  message?: string;
}

function reference(method: string, path: string): Found {
  const allow: string[] = [];
  for (const { endpoint, template } of all) {
    const params = template.match(path);
    if (!params) continue;
    if (endpoint.method === method) return { kind: 'found', id: endpoint.id, params };
    allow.push(endpoint.method);
  }
  return allow.length > 0 ? { kind: 'method', allow: [...new Set(allow)] } : { kind: 'none' };
}

function outcome(find: () => Found): Found {
  try {
    return find();
  } catch (error) {
    if (error instanceof MalformedPathError) return { kind: 'malformed', message: error.message };
    throw error;
  }
}

const router = createRouter();
function routed(method: string, path: string): Found {
  const match = router.find(method, path);
  return match.kind === 'found' ? { kind: 'found', id: match.route.endpoint.id, params: match.pathParams } : match;
}

const segment = fc.constantFrom(
  'api',
  'ssh_keys',
  'vps',
  'dns',
  'change_ns',
  '34-177054',
  'add',
  'delete',
  '%41',
  '%zz',
  '',
  'x.json',
  '1--2',
);
const paths = fc.oneof(
  fc.constantFrom(...all.map(({ template }) => template.template)),
  fc.array(segment, { maxLength: 6 }).map((s) => `/${s.join('/')}`),
  fc.array(segment, { maxLength: 6 }).map((s) => `/${s.join('/')}/`),
  fc.string().map((s) => `/${s}`),
);

describe('createRouter', () => {
  it('finds what trying every template in order finds', () => {
    // Each template with its placeholders filled, as a client sends it.
    const filled = all.map(({ template }) => template.template.replace(/\{[a-z_]+\}/g, '34-177054'));
    for (const path of filled) {
      for (const method of ['GET', 'POST', 'PUT']) {
        expect(outcome(() => routed(method, path))).toStrictEqual(outcome(() => reference(method, path)));
      }
    }
  });

  it('agrees with trying every template on any path', () => {
    fc.assert(
      fc.property(paths, fc.constantFrom('GET', 'POST'), (path, method) => {
        expect(outcome(() => routed(method, path))).toStrictEqual(outcome(() => reference(method, path)));
      }),
      { numRuns: 3000 },
    );
  });
});
