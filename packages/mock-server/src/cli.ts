import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isDialect } from '@fornex-flow/core';
import { startMockServer } from './start-mock-server.js';
import type { WorldState } from './world/types.js';
import { parseWorldState } from './world/world-schema.js';

const usage = `Usage: fornex-mock [options]

Starts a stateful mock of the Fornex API. The first line printed is its base URL.

Options:
  --port N          port to listen on, 0 for a free one (default 0)
  --host HOST       interface to bind (default 127.0.0.1)
  --dialect en|ru   which document to answer like (default en)
  --seed FILE       initial world, as GET /__mock/state returns it
  --scale N         add N generated VPS orders and N domains (deterministic)
  --latency MS      add MS of latency to every API request
  --error-status S  HTTP status of {"error": ...} answers: 200 (default, as documented) or 400
  --allow-external-webhooks
                    deliver ticket webhooks to non-loopback hosts too (off by default)
  --ready-file PATH once listening, write the base URL to PATH (removed again on exit)
  -h, --help        show this help

Keys of the default world: PERSONAL_API_KEY (full rights), LIMITED_API_KEY (no DNS editing),
OTHER_API_KEY (another tenant). Admin API: /__mock/ (see docs/mock-server.md).`;

/** A usage error: printed without a stack, exit code 2. */
class UsageError extends Error {}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** `--error-status`: 200 or 400, the two statuses the mock can answer errors with. */
function errorStatusOf(value: string | undefined): 200 | 400 | undefined {
  if (value === undefined) return undefined;
  if (value === '200') return 200;
  if (value === '400') return 400;
  throw new UsageError('--error-status must be 200 or 400');
}

function loadSeed(file: string | undefined): WorldState | undefined {
  if (file === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read --seed ${file}: ${(error as Error).message}`);
  }
  const parsed = parseWorldState(json);
  if (!parsed.ok) throw new UsageError(`--seed ${file}: ${parsed.error}`);
  return parsed.state;
}

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  dialect: { type: 'string' },
  seed: { type: 'string' },
  scale: { type: 'string' },
  latency: { type: 'string' },
  'error-status': { type: 'string' },
  'allow-external-webhooks': { type: 'boolean' },
  'ready-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flags, typed by parseArgs from `options`; a parse failure is a usage error. */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs the `fornex-mock` command line; resolves once the server listens. */
export async function main(argv: string[]): Promise<void> {
  const values = parseFlags(argv);
  if (values.help) {
    console.log(usage);
    return;
  }
  const { dialect } = values;
  if (dialect !== undefined && !isDialect(dialect)) throw new UsageError('--dialect must be en or ru');
  const errorStatus = errorStatusOf(values['error-status']);
  // Flags not given stay undefined: startMockServer applies its own defaults.
  const mock = await startMockServer({
    port: integer('port', values.port, 0, 65535),
    host: values.host,
    dialect,
    scale: integer('scale', values.scale, 0, 1_000_000),
    latencyMs: integer('latency', values.latency, 0, 600_000),
    allowExternalWebhooks: values['allow-external-webhooks'],
    errorStatus,
    seed: loadSeed(values.seed),
  });
  const readyFile = values['ready-file'];
  if (readyFile !== undefined) writeReadyFile(readyFile, mock.url);
  console.log(mock.url);
  console.log(`fornex-mock: dialect ${mock.world.dialect}; admin API at ${mock.url}/__mock/; Ctrl-C to stop`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (readyFile !== undefined) rmSync(readyFile, { force: true });
    mock.close().then(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  watchParent(stop);
}

/**
 * Calls `stop` once the process that started this one is gone. `npx fornex-mock` runs the bin
 * through `sh -c`: a signal to npx ends npx (and a SIGTERM the shell), never reaching node, and
 * the server would go on serving as an orphan. An orphan is adopted by another process, so its
 * parent id changes; when the parent is such a shell, its own parent is watched the same way.
 */
function watchParent(stop: () => void): void {
  const parent = process.ppid;
  const grandparent = shellParentOf(parent);
  setInterval(() => {
    if (process.ppid !== parent) stop();
    else if (grandparent !== null && parentOf(parent) !== grandparent) stop();
  }, 250).unref();
}

/** The parent id of a process, from /proc (Linux); null where there is none to read. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

/** The parent of `pid` when `pid` is a shell (as `npx` puts between itself and the bin), else null. */
function shellParentOf(pid: number): number | null {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return /^(sh|bash|dash|zsh|ash|busybox)$/.test(comm) ? parentOf(pid) : null;
  } catch {
    return null;
  }
}

/** Writes the URL whole, by rename, so a harness polling for the file never reads half of it. */
function writeReadyFile(path: string, url: string): void {
  const partial = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, `${url}\n`);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new UsageError(`cannot write --ready-file ${path}: ${(error as Error).message}`);
  }
}

/** Runs main and turns failures into a one-line message and an exit code. */
export function run(argv: string[]): void {
  main(argv).catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`fornex-mock: ${error.message}\n\n${usage}`);
      process.exit(2);
    }
    const code = (error as { code?: string }).code;
    console.error(
      `fornex-mock: cannot start: ${code === 'EADDRINUSE' ? 'the port is in use' : (error as Error).message}`,
    );
    process.exit(1);
  });
}
