// Runs documented examples as printed: one python script and one bash script per dialect.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Dialect, type DocumentedExample, documentedExamples } from '@fornex-flow/core';
import type { JournalEntry } from '../../src/index.js';
import { type RunningMockServer, startMockServer } from '../../src/index.js';

const run = promisify(execFile);

const DOCUMENTED_HOST = 'https://fornex.com/';

export const RUNNERS = ['python', 'curl'] as const;

export type Runner = (typeof RUNNERS)[number];

/** An example with its position in the fixture, which names it in both scripts' output. */
export interface IndexedExample {
  readonly index: number;
  readonly example: DocumentedExample;
}

export const examplesOf = (dialect: Dialect): IndexedExample[] =>
  documentedExamples.flatMap((example, index) => (example.dialect === dialect ? [{ index, example }] : []));

export const snippetOf = (example: DocumentedExample, runner: Runner): string | null =>
  runner === 'python' ? example.python : example.curl;

/** What one runner saw for one example. */
export interface RunResult {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
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

export interface DialectRun {
  readonly results: Record<Runner, Map<number, RunResult | string>>;
  readonly journal: readonly JournalEntry[];
}

/** Starts a mock in the dialect, runs its python examples, then its curl examples. */
export async function runDialect(dialect: Dialect): Promise<DialectRun> {
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
