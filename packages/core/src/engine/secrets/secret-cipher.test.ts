import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EngineErrorCode } from '../errors.js';
import { createSecretCipher, parseSecretKey } from './secret-cipher.js';

describe('the secret cipher', () => {
  const bytes = randomBytes(32);
  const cipher = createSecretCipher(parseSecretKey(bytes));

  it('round-trips, with a fresh nonce per value, and the same key as base64', () => {
    const a = cipher.seal('"pw"', 'run-1');
    const b = cipher.seal('"pw"', 'run-1');
    expect(a).not.toBe(b);
    expect(createSecretCipher(parseSecretKey(bytes.toString('base64'))).open(a, 'run-1')).toBe('"pw"');
    expect(cipher.open(b, 'run-1')).toBe('"pw"');
  });

  it('refuses another run id, another key, or altered bytes', () => {
    const sealed = cipher.seal('{"n":1}', 'run-1');
    expect(() => cipher.open(sealed, 'run-2')).toThrow();
    expect(() => createSecretCipher(parseSecretKey(randomBytes(32))).open(sealed, 'run-1')).toThrow();
    const altered = Buffer.from(sealed, 'base64');
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open(altered.toString('base64'), 'run-1')).toThrow();
  });

  it('accepts 32 bytes only, and says so without quoting the value', () => {
    const tooShort = randomBytes(31).toString('base64');
    for (const bad of [randomBytes(31), tooShort, `${bytes.toString('base64')}!`, 'hello', 32, null]) {
      let caught: unknown;
      try {
        parseSecretKey(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({
        code: EngineErrorCode.InvalidOptions,
        message: expect.stringContaining('32 bytes'),
      });
      expect((caught as Error).message).not.toContain(tooShort.slice(0, 8));
    }
  });
});
