import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './redact.js';

describe('createRedactor', () => {
  const secret = 'k3y/with+odd=chars';
  const redactor = createRedactor(secret);

  it('replaces the raw, percent-encoded and form-encoded spellings, every occurrence', () => {
    const text = `a=${secret}&b=${encodeURIComponent(secret)}&c=${new URLSearchParams({ c: secret }).toString().slice(2)} ${secret}`;
    expect(redactor.text(text)).toBe(`a=${REDACTED}&b=${REDACTED}&c=${REDACTED} ${REDACTED}`);
    expect(redactor.text('nothing to hide')).toBe('nothing to hide');
  });

  it('copies JSON-like values deeply, keys included, leaving the input alone', () => {
    const input = { error: `bad ${secret}`, list: [secret, 1, null, { [secret]: true }] };
    expect(redactor.value(input)).toEqual({
      error: `bad ${REDACTED}`,
      list: [REDACTED, 1, null, { [REDACTED]: true }],
    });
    expect(input.error).toBe(`bad ${secret}`);
  });

  it('copies an error chain with name, message, code and stack scrubbed, and drops other fields', () => {
    const inner = Object.assign(new Error(`socket to ${secret}`), { code: 'ECONNRESET', socket: { secret } });
    const outer = new TypeError(`fetch ${secret} failed`, { cause: inner });
    const copy = redactor.error(outer) as Error & { cause: Error & { code?: string; socket?: unknown } };
    expect(copy).not.toBe(outer);
    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe(`fetch ${REDACTED} failed`);
    expect(copy.stack).not.toContain(secret);
    expect(copy.cause.message).toBe(`socket to ${REDACTED}`);
    expect(copy.cause.code).toBe('ECONNRESET');
    expect(copy.cause.socket).toBeUndefined();
  });

  it('leaves texts alone for an empty secret instead of redacting everywhere', () => {
    expect(createRedactor('').text('abc')).toBe('abc');
  });
});
