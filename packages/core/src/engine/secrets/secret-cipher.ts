import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { EngineError, EngineErrorCode } from '../errors.js';

/** Seals and opens secret values with the engine's key (AES-256-GCM, the run id as associated data). */
export interface SecretCipher {
  /** `plaintext` encrypted under a fresh 96-bit nonce, as base64 of nonce | tag | ciphertext. */
  seal(plaintext: string, runId: string): string;
  /** The plaintext of a sealed value; throws when the key, the run id or the bytes do not match. */
  open(sealed: string, runId: string): string;
}

const keyBytes = 32;
const nonceBytes = 12;
const tagBytes = 16;
const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

function invalidKey(what: string): EngineError {
  // The message never quotes the value: it may be the key, or a near miss of it.
  return new EngineError(
    EngineErrorCode.InvalidOptions,
    `createEngine: secretKey must be 32 bytes, as a Buffer (or Uint8Array) or as their base64 text (44 characters, e.g. from \`openssl rand -base64 32\`); got ${what}`,
  );
}

/** Checks a `secretKey` option and turns it into a key object; INVALID_OPTIONS for anything but 32 bytes. */
export function parseSecretKey(key: unknown): KeyObject {
  let bytes: Buffer;
  if (key instanceof Uint8Array) bytes = Buffer.from(key);
  else if (typeof key === 'string') {
    const text = key.trim();
    bytes = Buffer.from(text, 'base64');
    // Buffer.from skips what is not base64: a typo would silently give another key.
    if (!base64.test(text) || bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, ''))
      throw invalidKey('a string that is not base64');
  } else throw invalidKey(key === null ? 'null' : typeof key);
  if (bytes.length !== keyBytes) throw invalidKey(`${bytes.length} bytes`);
  const keyObject = createSecretKey(bytes);
  bytes.fill(0);
  return keyObject;
}

/** Creates the cipher of an engine's `secretKey`. */
export function createSecretCipher(key: KeyObject): SecretCipher {
  return {
    seal(plaintext, runId) {
      const nonce = randomBytes(nonceBytes);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(runId, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]).toString('base64');
    },
    open(sealed, runId) {
      const bytes = Buffer.from(sealed, 'base64');
      if (bytes.length < nonceBytes + tagBytes) throw new Error('a sealed value too short to hold a nonce and a tag');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, nonceBytes));
      decipher.setAAD(Buffer.from(runId, 'utf8'));
      decipher.setAuthTag(bytes.subarray(nonceBytes, nonceBytes + tagBytes));
      return Buffer.concat([decipher.update(bytes.subarray(nonceBytes + tagBytes)), decipher.final()]).toString('utf8');
    },
  };
}
