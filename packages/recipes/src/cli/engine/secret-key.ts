import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError, usageError } from '../cli-error.js';

/** Length of the engine's AES-256-GCM key. */
const KEY_BYTES = 32;

/** Where the generated key lives: beside the database, `<db>.secret-key`. */
export function secretKeyPathOf(dbPath: string): string {
  return `${dbPath}.secret-key`;
}

function decode(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, ''))
    throw usageError(`${where} must be ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  return key;
}

/** The key from FORNEX_FLOW_SECRET_KEY, if set (refused when it is not 32 bytes of base64). */
export function secretKeyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  return env.FORNEX_FLOW_SECRET_KEY ? decode(env.FORNEX_FLOW_SECRET_KEY, 'FORNEX_FLOW_SECRET_KEY') : undefined;
}

/**
 * The key that encrypts secrets at rest: FORNEX_FLOW_SECRET_KEY (base64), else a key file beside
 * the database, created on first use with mode 0600. `warn` hears a key file others can read.
 */
export function loadSecretKey(dbPath: string, env: NodeJS.ProcessEnv, warn: (line: string) => void): Buffer {
  const fromEnv = secretKeyFromEnv(env);
  if (fromEnv) return fromEnv;
  const file = secretKeyPathOf(dbPath);
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': create only if absent, so two first runs never write two different keys.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new CliError(`cannot create the secret key file ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the secret key file ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
    warn(`warning: ${file} is readable by other users; chmod 600 it`);
  return decode(text, `the secret key file ${file}`);
}
