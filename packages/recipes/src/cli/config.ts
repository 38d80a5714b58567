import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { usageError } from './cli-error.js';

/** The flags every command shares (as commander parsed them). */
export interface GlobalFlags {
  db?: string;
  baseUrl?: string;
  apiKeyFile?: string;
  json?: boolean;
  recipes?: string[];
}

/** Where the CLI keeps its runs when neither --db nor FORNEX_FLOW_DB says otherwise. */
export function defaultDbPath(): string {
  // env-paths follows each platform's convention (XDG_DATA_HOME on Linux, Application Support on macOS).
  return join(envPaths('fornex-flow', { suffix: '' }).data, 'runs.db');
}

/** The database file: --db, then FORNEX_FLOW_DB, then the default. */
export function dbPathOf(flags: GlobalFlags, env: NodeJS.ProcessEnv): string {
  return flags.db || env.FORNEX_FLOW_DB || defaultDbPath();
}

/** The API's base URL (--base-url, then FORNEX_BASE_URL), checked; undefined for the client's default. */
export function baseUrlOf(flags: GlobalFlags, env: NodeJS.ProcessEnv): string | undefined {
  const value = flags.baseUrl || env.FORNEX_BASE_URL;
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`the base URL "${value}" is not a URL (expected e.g. https://fornex.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`the base URL must be http or https, not ${url.protocol}`);
  return value;
}

/**
 * The API key: FORNEX_API_KEY, else the first line of --api-key-file. Never argv: a key there is
 * visible to every user of the machine (ps) and stays in shell history.
 */
export function apiKeyOf(flags: GlobalFlags, env: NodeJS.ProcessEnv): string | undefined {
  if (flags.apiKeyFile) {
    let text: string;
    try {
      text = readFileSync(flags.apiKeyFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw usageError(`cannot read --api-key-file ${flags.apiKeyFile} (${code})`);
    }
    const key = text.split(/\r?\n/)[0]?.trim();
    if (!key) throw usageError(`--api-key-file ${flags.apiKeyFile} is empty`);
    return key;
  }
  const key = env.FORNEX_API_KEY?.trim();
  return key || undefined;
}

/** The API key, or a usage error saying where to put it. */
export function requireApiKey(flags: GlobalFlags, env: NodeJS.ProcessEnv): string {
  const key = apiKeyOf(flags, env);
  if (!key) throw usageError('no API key: set FORNEX_API_KEY or pass --api-key-file FILE');
  return key;
}

const keyFlag = /^--?api[-_]?key(=.*)?$/i;

/** Refuses a key given on the command line (any spelling of --api-key), without echoing it. */
export function refuseKeyInArgv(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    if (keyFlag.test(arg)) {
      throw usageError(
        '--api-key is refused: a key on the command line is visible to other users (ps) and kept in shell history; ' +
          'set FORNEX_API_KEY or use --api-key-file FILE',
      );
    }
  }
}
