// Every documented example of both API documents, run exactly as the documents print it (the
// curl line through bash, the python `requests` snippet through python3) against the mock's
// default world: the answer must have the documented status and shape, and for GETs over seeded
// data the documented values themselves. Only the host `https://fornex.com` is replaced.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Dialect, type DocumentedExample, documentedExamples } from '@fornex-flow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../src/index.js';
import { type RunningMockServer, startMockServer } from '../src/index.js';

const run = promisify(execFile);
const DOCUMENTED_HOST = 'https://fornex.com/';
const DIALECTS: readonly Dialect[] = ['en', 'ru'];
const RUNNERS = ['python', 'curl'] as const;
type Runner = (typeof RUNNERS)[number];

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

/** An example with its position in the fixture, which names it in both scripts' output. */
interface IndexedExample {
  readonly index: number;
  readonly example: DocumentedExample;
}

const examplesOf = (dialect: Dialect): IndexedExample[] =>
  documentedExamples.flatMap((example, index) => (example.dialect === dialect ? [{ index, example }] : []));

const snippetOf = (example: DocumentedExample, runner: Runner): string | null =>
  runner === 'python' ? example.python : example.curl;

/** What one runner saw for one example. */
interface RunResult {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

// ---------------------------------------------------------------------------------------------
// JSON with its raw text kept: JSON.parse forgets whether `91.0` was a float and how the bytes
// were separated, and both are part of the documented shape.

type ScalarKind = 'null' | 'boolean' | 'int' | 'float' | 'string';

type JsonNode =
  | { readonly kind: ScalarKind; readonly raw: string; readonly value: unknown }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [key: string, rawKey: string, JsonNode]> };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Loose on purpose: JSON.parse of the raw string then rejects bad escapes and control characters.
const STRING = /"(?:[^"\\]|\\.)*"/y;

/** Parses strict JSON into nodes that remember each scalar's raw text. */
function parseJson(text: string): JsonNode {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${at} of ${JSON.stringify(text.slice(0, 200))}`);
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
  };
  const token = (pattern: RegExp): string | null => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) return null;
    at += match[0].length;
    return match[0];
  };
  const literal = (word: string, kind: ScalarKind, value: unknown): JsonNode | null => {
    if (!text.startsWith(word, at)) return null;
    at += word.length;
    return { kind, raw: word, value };
  };
  const value = (): JsonNode => {
    skipSpace();
    const char = text.charAt(at);
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') {
      const raw = token(STRING) ?? fail('bad string');
      return { kind: 'string', raw, value: JSON.parse(raw) };
    }
    const word =
      literal('null', 'null', null) ?? literal('true', 'boolean', true) ?? literal('false', 'boolean', false);
    if (word) return word;
    const raw = token(NUMBER) ?? fail('unexpected character');
    return { kind: /[.eE]/.test(raw) ? 'float' : 'int', raw, value: Number(raw) };
  };
  const expectChar = (char: string) => {
    skipSpace();
    if (text.charAt(at) !== char) fail(`expected ${char}`);
    at++;
  };
  // Calls `item` for each element of a `,`-separated sequence closed by `close`.
  const sequence = (close: string, item: () => void) => {
    skipSpace();
    if (text.charAt(at) === close) {
      at++;
      return;
    }
    for (;;) {
      item();
      skipSpace();
      if (text.charAt(at) === close) {
        at++;
        return;
      }
      expectChar(',');
    }
  };
  const array = (): JsonNode => {
    at++;
    const items: JsonNode[] = [];
    sequence(']', () => items.push(value()));
    return { kind: 'array', items };
  };
  const object = (): JsonNode => {
    at++;
    const entries: Array<readonly [string, string, JsonNode]> = [];
    sequence('}', () => {
      skipSpace();
      const rawKey = token(STRING) ?? fail('expected a key');
      expectChar(':');
      entries.push([JSON.parse(rawKey) as string, rawKey, value()]);
    });
    return { kind: 'object', entries };
  };
  const root = value();
  skipSpace();
  if (at !== text.length) fail('trailing text');
  return root;
}

/** The node written as Python's `json.dumps` writes it: one line, `", "` and `": "` separators. */
function pythonLayout(node: JsonNode): string {
  if (node.kind === 'array') return `[${node.items.map(pythonLayout).join(', ')}]`;
  if (node.kind === 'object')
    return `{${node.entries.map(([, rawKey, v]) => `${rawKey}: ${pythonLayout(v)}`).join(', ')}}`;
  return node.raw;
}

function isScalar(node: JsonNode): node is Extract<JsonNode, { raw: string }> {
  return node.kind !== 'array' && node.kind !== 'object';
}

// ---------------------------------------------------------------------------------------------
// Shapes: what the documented body allows. A documented list's items together give its item
// shape (the en dns.records items have `prio` null in one and 1 in the other; the vps.stats
// series have `type` only in the second); an array whose items are of different kinds, like
// ds.traffic's `["2015-11-11", {...}]`, is a tuple and is checked position by position.

type Shape =
  | { readonly kind: 'scalar'; readonly types: ReadonlySet<ScalarKind> }
  | { readonly kind: 'list'; readonly item: Shape | null }
  | { readonly kind: 'tuple'; readonly items: readonly Shape[] }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, { shape: Shape; required: boolean }> };

const structure = (node: JsonNode) => (isScalar(node) ? 'scalar' : node.kind);

function shapeOf(node: JsonNode): Shape {
  if (isScalar(node)) return { kind: 'scalar', types: new Set([node.kind]) };
  if (node.kind === 'object') {
    return {
      kind: 'object',
      fields: new Map(node.entries.map(([key, , v]) => [key, { shape: shapeOf(v), required: true }])),
    };
  }
  const kinds = new Set(node.items.map(structure));
  if (kinds.size > 1) return { kind: 'tuple', items: node.items.map(shapeOf) };
  const item = node.items.map(shapeOf).reduce<Shape | null>((a, b) => (a ? mergeShapes(a, b) : b), null);
  return { kind: 'list', item };
}

function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', types: new Set([...a.types, ...b.types]) };
  if (a.kind === 'list' && b.kind === 'list') {
    return { kind: 'list', item: a.item && b.item ? mergeShapes(a.item, b.item) : (a.item ?? b.item) };
  }
  if (a.kind === 'tuple' && b.kind === 'tuple' && a.items.length === b.items.length) {
    return { kind: 'tuple', items: a.items.map((item, i) => mergeShapes(item, b.items[i] as Shape)) };
  }
  if (a.kind === 'object' && b.kind === 'object') {
    const fields = new Map<string, { shape: Shape; required: boolean }>();
    for (const key of new Set([...a.fields.keys(), ...b.fields.keys()])) {
      const x = a.fields.get(key);
      const y = b.fields.get(key);
      const shape = x && y ? mergeShapes(x.shape, y.shape) : ((x ?? y) as { shape: Shape }).shape;
      fields.set(key, { shape, required: Boolean(x?.required && y?.required) });
    }
    return { kind: 'object', fields };
  }
  throw new Error(`documented items of different kinds: ${a.kind} and ${b.kind}`);
}

/** Every way `node` departs from `shape`, as `path: problem` lines. */
function shapeProblems(shape: Shape, node: JsonNode, path = '$'): string[] {
  switch (shape.kind) {
    case 'scalar':
      return isScalar(node) && shape.types.has(node.kind)
        ? []
        : [`${path}: ${node.kind} ${pythonLayout(node)}, documented ${[...shape.types].join('|')}`];
    case 'list':
      if (node.kind !== 'array') return [`${path}: ${node.kind}, documented a list`];
      return shape.item
        ? node.items.flatMap((item, i) => shapeProblems(shape.item as Shape, item, `${path}[${i}]`))
        : [];
    case 'tuple':
      if (node.kind !== 'array' || node.items.length !== shape.items.length) {
        return [`${path}: ${pythonLayout(node)}, documented a ${shape.items.length}-tuple`];
      }
      return node.items.flatMap((item, i) => shapeProblems(shape.items[i] as Shape, item, `${path}[${i}]`));
    case 'object': {
      if (node.kind !== 'object') return [`${path}: ${node.kind}, documented an object`];
      const keys = new Set(node.entries.map(([key]) => key));
      const missing = [...shape.fields].filter(([key, f]) => f.required && !keys.has(key)).map(([key]) => key);
      const extra = [...keys].filter((key) => !shape.fields.has(key));
      return [
        ...missing.map((key) => `${path}: missing key ${key}`),
        ...extra.map((key) => `${path}: undocumented key ${key}`),
        ...node.entries.flatMap(([key, , v]) => {
          const field = shape.fields.get(key);
          return field ? shapeProblems(field.shape, v, `${path}.${key}`) : [];
        }),
      ];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Documented values. Numbers compare by their raw text, so `148.0` must come back as `148.0`.

function sameValue(a: JsonNode, b: JsonNode): boolean {
  if (isScalar(a) || isScalar(b)) {
    if (!isScalar(a) || !isScalar(b) || a.kind !== b.kind) return false;
    return a.kind === 'int' || a.kind === 'float' ? a.raw === b.raw : a.value === b.value;
  }
  if (a.kind === 'array' && b.kind === 'array') {
    return a.items.length === b.items.length && a.items.every((item, i) => sameValue(item, b.items[i] as JsonNode));
  }
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.entries.length !== b.entries.length) return false;
    return a.entries.every(([key, , v]) => {
      const other = b.entries.find(([k]) => k === key);
      return other !== undefined && sameValue(v, other[2]);
    });
  }
  return false;
}

/**
 * Where the answer lacks a documented value. A documented list is a sample: each of its items
 * must be in the answer, deep-equal; objects are followed key by key down to such lists.
 */
function missingValues(doc: JsonNode, answer: JsonNode, path = '$'): string[] {
  if (doc.kind === 'array') {
    if (answer.kind !== 'array') return [`${path}: not a list`];
    return doc.items
      .filter((item) => !answer.items.some((candidate) => sameValue(item, candidate)))
      .map((item) => `${path}: documented item missing: ${pythonLayout(item)}`);
  }
  if (doc.kind === 'object') {
    if (answer.kind !== 'object') return [`${path}: not an object`];
    return doc.entries.flatMap(([key, , v]) => {
      const other = answer.entries.find(([k]) => k === key);
      return other ? missingValues(v, other[2], `${path}.${key}`) : [`${path}: missing key ${key}`];
    });
  }
  return sameValue(doc, answer) ? [] : [`${path}: ${pythonLayout(answer)}, documented ${doc.raw}`];
}

/** The documented text excerpt as the answer must begin: one indent space off, the `...` dropped. */
function documentedTextPrefix(documented: string): string {
  const lines = documented.split('\n').map((line) => (line.startsWith(' ') ? line.slice(1) : line));
  if (lines.at(-1) !== '...') throw new Error(`documented text does not end with ...: ${documented}`);
  return `${lines.slice(0, -1).join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The runners: one python script and one bash script per dialect, each example preceded by a
// reset so that it meets the default world, as a reader of the document would.

function withMockHost(snippet: string, baseUrl: string): string {
  if (!snippet.includes(DOCUMENTED_HOST)) throw new Error(`snippet does not call ${DOCUMENTED_HOST}: ${snippet}`);
  return snippet.replaceAll(DOCUMENTED_HOST, `${baseUrl}/`);
}

/** The snippet with `r = ` before its call, so the script can read the response. */
function pythonProgram(snippet: string, baseUrl: string): string {
  const [head, call] = snippet.split(/\n\n(.*)/s);
  if (head !== 'import requests' || !call?.startsWith('requests.')) throw new Error(`unexpected snippet: ${snippet}`);
  return withMockHost(`${head}\n\nr = ${call}`, baseUrl);
}

// Each snippet runs by exec() of its own text (a JSON string literal is a valid python one), so
// one failing example reports an error instead of ending the script.
function pythonScript(examples: readonly IndexedExample[], baseUrl: string): string {
  const lines = [
    'import json',
    'import requests',
    '',
    'def reset():',
    `    requests.post(${JSON.stringify(`${baseUrl}/__mock/reset`)}).raise_for_status()`,
    '',
    'def run(index, program):',
    '    scope = {}',
    '    try:',
    "        exec(compile(program, 'example-%d' % index, 'exec'), scope)",
    "        r = scope['r']",
    // The raw bytes, not requests' charset guess: the byte layout is under test.
    "        print(json.dumps({'index': index, 'status': r.status_code,",
    "                          'contentType': r.headers.get('content-type', ''), 'body': r.content.decode('utf-8')}))",
    '    except Exception as error:',
    "        print(json.dumps({'index': index, 'error': repr(error)}))",
    '',
  ];
  for (const { index, example } of examples) {
    if (example.python === null) continue;
    lines.push(`# ${example.dialect} ${example.id}`, 'reset()');
    lines.push(`run(${index}, ${JSON.stringify(pythonProgram(example.python, baseUrl))})`);
  }
  return `${lines.join('\n')}\n`;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

// The curl line runs as printed (its backslash-newline included); the options appended to its
// end only capture the answer: body to a file, status and content type to another.
function curlScript(examples: readonly IndexedExample[], baseUrl: string, dir: string): string {
  const lines = [
    'set -u',
    `reset() { curl -sf -X POST ${shellQuote(`${baseUrl}/__mock/reset`)} -o /dev/null || exit 1; }`,
  ];
  for (const { index, example } of examples) {
    if (example.curl === null) continue;
    const body = shellQuote(join(dir, `curl-${index}.body`));
    const meta = shellQuote(join(dir, `curl-${index}.meta`));
    lines.push(`# ${example.dialect} ${example.id}`, 'reset');
    lines.push(`${withMockHost(example.curl, baseUrl)} -s -o ${body} -w '%{http_code} %{content_type}' > ${meta}`);
  }
  return `${lines.join('\n')}\n`;
}

interface PythonLine {
  index: number;
  status?: number;
  contentType?: string;
  body?: string;
  error?: string;
}

async function runPython(examples: readonly IndexedExample[], baseUrl: string, dir: string) {
  const script = join(dir, 'examples.py');
  await writeFile(script, pythonScript(examples, baseUrl));
  const { stdout } = await run('python3', [script], { timeout: 30_000, maxBuffer: 16 << 20 });
  const results = new Map<number, RunResult | string>();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const out = JSON.parse(line) as PythonLine;
    results.set(
      out.index,
      out.error ?? { status: out.status ?? 0, contentType: out.contentType ?? '', body: out.body ?? '' },
    );
  }
  return results;
}

async function runCurl(examples: readonly IndexedExample[], baseUrl: string, dir: string) {
  const script = join(dir, 'examples.sh');
  await writeFile(script, curlScript(examples, baseUrl, dir));
  await run('bash', [script], { timeout: 30_000 });
  const results = new Map<number, RunResult | string>();
  for (const { index, example } of examples) {
    if (example.curl === null) continue;
    try {
      const meta = await readFile(join(dir, `curl-${index}.meta`), 'utf8');
      const [status = '0', ...type] = meta.split(' ');
      const body = await readFile(join(dir, `curl-${index}.body`), 'utf8');
      results.set(index, { status: Number(status), contentType: type.join(' '), body });
    } catch (error) {
      results.set(index, `curl left no answer: ${String(error)}`);
    }
  }
  return results;
}

interface DialectRun {
  readonly results: Record<Runner, Map<number, RunResult | string>>;
  readonly journal: readonly JournalEntry[];
}

/** Starts a mock in the dialect, runs its python examples, then its curl examples. */
async function runDialect(dialect: Dialect): Promise<DialectRun> {
  const mock: RunningMockServer = await startMockServer({ port: 0, dialect });
  const dir = await mkdtemp(join(tmpdir(), `documented-examples-${dialect}-`));
  try {
    const examples = examplesOf(dialect);
    // One after the other: both share the mock's world and journal.
    const python = await runPython(examples, mock.url, dir);
    const curl = await runCurl(examples, mock.url, dir);
    const journal = (await (await fetch(`${mock.url}/__mock/requests`)).json()) as { requests: JournalEntry[] };
    return { results: { python, curl }, journal: journal.requests };
  } finally {
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
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
    const done = await Promise.all(DIALECTS.map(async (d) => [d, await runDialect(d)] as const));
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

  describe.each(DIALECTS)('%s', (dialect) => {
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
