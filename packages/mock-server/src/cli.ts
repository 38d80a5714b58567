import { readFileSync } from 'node:fs';
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
  console.log(mock.url);
  console.log(`fornex-mock: dialect ${mock.world.dialect}; admin API at ${mock.url}/__mock/; Ctrl-C to stop`);
  const stop = () => {
    mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
