import { describe, expect, it } from 'vitest';
import { SecretText } from './secret-text.js';

const key = 'k3y Secret/+=é';
const upper = encodeURIComponent(key);
const lower = upper.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase());
const form = new URLSearchParams({ k: key }).toString().slice(2);

describe('SecretText', () => {
  const text = new SecretText();
  text.add(key);

  it('finds and redacts a secret raw, percent-encoded in either case, mixed, form-encoded and JSON-escaped', () => {
    const mixed = `${upper.slice(0, 6)}${lower.slice(6)}`;
    for (const spelling of [key, upper, lower, mixed, form]) {
      expect(text.test(`x=${spelling}&y`), spelling).toBe(true);
      expect(text.redact(`x=${spelling}&y`), spelling).toBe('x=[REDACTED]&y');
    }
    const quoted = new SecretText();
    quoted.add('a"b\\c-d');
    expect(quoted.redact(JSON.stringify({ m: 'a"b\\c-d' }))).toBe('{"m":"[REDACTED]"}');
  });

  it('leaves other text alone, and ignores secrets too short to search', () => {
    expect(text.test('k3y Secret/+')).toBe(false);
    expect(text.redact('nothing %20 here')).toBe('nothing %20 here');
    const short = new SecretText();
    short.add('42');
    expect(short.empty).toBe(true);
    expect(short.redact('order 42')).toBe('order 42');
  });

  it('redacts the longest secret first, so no piece of it stays behind', () => {
    const both = new SecretText();
    both.add('abcd');
    both.add('abcdefgh');
    expect(both.redact('abcdefgh abcd')).toBe('[REDACTED] [REDACTED]');
  });
});
