// Every documented example of both API documents, run exactly as the documents print it (the
// curl line through bash, the python `requests` snippet through python3) against the mock's
// default world: the answer must have the documented status and shape, and for GETs over seeded
// data the documented values themselves. Only the host `https://fornex.com` is replaced.
import { type Dialect, type DocumentedExample, dialects, documentedExamples } from '@fornex-flow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type JsonNode,
  missingValues,
  parseJson,
  pythonLayout,
  shapeOf,
  shapeProblems,
} from './documented-examples/raw-json.js';
import {
  type DialectRun,
  examplesOf,
  RUNNERS,
  type Runner,
  type RunResult,
  runDialect,
  snippetOf,
} from './documented-examples/runners.js';

/** GETs over seeded data: the documented values themselves must come back. */
const SEEDED_GETS = new Set([
  'account.balance',
  'account.info',
  'account.invoices',
  'orders.list',
  'plans.backups',
  'plans.dedicated',
  'plans.vpn',
  'plans.vps',
  'plans.hosting',
  'sshKeys.list',
  'sshKeys.listForOrder',
  'vps.status',
  'vps.logDetails',
  'vps.stats',
  'ds.traffic',
  'ds.trafficUsed',
  'tickets.webhookInfo',
  'dns.domainList',
  'dns.records',
]);

/** The documented text excerpt as the answer must begin: one indent space off, the `...` dropped. */
function documentedTextPrefix(documented: string): string {
  const lines = documented.split('\n').map((line) => (line.startsWith(' ') ? line.slice(1) : line));
  if (lines.at(-1) !== '...') throw new Error(`documented text does not end with ...: ${documented}`);
  return `${lines.slice(0, -1).join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

/** Every problem of one answer to one example. */
function answerProblems(example: DocumentedExample, answer: RunResult): string[] {
  const problems: string[] = [];
  if (answer.status !== 200) problems.push(`status ${answer.status}, documented 200`);
  if (example.responseKind === 'text') {
    if (answer.contentType.includes('json')) problems.push(`content type ${answer.contentType} for a text answer`);
    const prefix = documentedTextPrefix(example.response);
    if (!answer.body.startsWith(prefix)) problems.push(`text does not start with ${JSON.stringify(prefix)}`);
    return problems.length > 0 ? [...problems, `body: ${answer.body.slice(0, 300)}`] : [];
  }
  if (!answer.contentType.startsWith('application/json')) problems.push(`content type ${answer.contentType}`);
  let node: JsonNode;
  try {
    node = parseJson(answer.body);
  } catch (error) {
    return [...problems, `not JSON: ${String(error)}`];
  }
  if (pythonLayout(node) !== answer.body) problems.push(`not laid out like Python's json.dumps: ${answer.body}`);
  const documented = parseJson(example.response);
  problems.push(...shapeProblems(shapeOf(documented), node));
  // A documented list is a sample of something, never an empty answer.
  if (documented.kind === 'array' && documented.items.length > 0 && node.kind === 'array' && node.items.length === 0) {
    problems.push('empty list, documented items');
  }
  if (SEEDED_GETS.has(example.id)) problems.push(...missingValues(documented, node));
  return problems.length > 0 ? [...problems, `body: ${answer.body.slice(0, 600)}`] : [];
}

describe('documented examples, run as printed against the default world', () => {
  const runs = new Map<Dialect, DialectRun>();

  beforeAll(async () => {
    // The dialects have a mock each, so they run side by side.
    const done = await Promise.all(dialects.map(async (d) => [d, await runDialect(d)] as const));
    for (const [dialect, result] of done) runs.set(dialect, result);
  }, 60_000);

  afterAll(() => runs.clear());

  const runOf = (dialect: Dialect): DialectRun => {
    const result = runs.get(dialect);
    if (!result) throw new Error(`no run for ${dialect}`);
    return result;
  };

  it('has the 73 documented examples: 37 en, 36 ru', () => {
    expect(documentedExamples).toHaveLength(73);
    expect(examplesOf('en')).toHaveLength(37);
    expect(examplesOf('ru')).toHaveLength(36);
  });

  describe.each(dialects)('%s', (dialect) => {
    const examples = examplesOf(dialect);

    it.each(RUNNERS)('%s ran every example that has a snippet, and only those', (runner) => {
      const expected = examples.filter(({ example }) => snippetOf(example, runner) !== null).map(({ index }) => index);
      // The exact counts, so that a fixture change shows here too.
      const counts: Record<Dialect, Record<Runner, number>> = {
        en: { python: 37, curl: 37 },
        ru: { python: 35, curl: 34 },
      };
      expect(expected).toHaveLength(counts[dialect][runner]);
      expect([...runOf(dialect).results[runner].keys()].sort((a, b) => a - b)).toEqual(expected);
    });

    it('each request reached its documented endpoint, in order, with 200', () => {
      const expected = RUNNERS.flatMap((runner) =>
        examples.filter(({ example }) => snippetOf(example, runner) !== null).map(({ example }) => example.id),
      );
      const journal = runOf(dialect).journal;
      expect(journal.map((entry) => entry.endpointId)).toEqual(expected);
      expect(journal.filter((entry) => entry.status !== 200)).toEqual([]);
    });

    it.each(examples.map(({ index, example }) => [`${example.id} (#${index})`, index, example] as const))(
      '%s',
      (_name, index, example) => {
        for (const runner of RUNNERS) {
          if (snippetOf(example, runner) === null) continue;
          const answer = runOf(dialect).results[runner].get(index);
          if (answer === undefined) throw new Error(`${runner} did not run it`);
          if (typeof answer === 'string') throw new Error(`${runner} failed: ${answer}`);
          expect(answerProblems(example, answer), `${runner}: ${snippetOf(example, runner)}`).toEqual([]);
        }
      },
    );
  });
});
