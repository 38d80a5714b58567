import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeInputIssues, printableText } from './input-issues.js';

const schema = z.object({ orderId: z.string() }).strict();

function refusal(input: unknown): string {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a refusal');
  return describeInputIssues(parsed.error.issues);
}

describe('describeInputIssues', () => {
  it('keeps an unknown key with a newline or a terminal escape on one printable line', () => {
    const text = refusal({ orderId: 'x', 'a\nb': 1, '\u001b[2J': 2 });
    expect(text).toBe('(input): unknown fields "a\\u000ab", "\\u001b[2J"');
  });

  it('caps each unknown key on its own, so a huge one never hides a short one', () => {
    const text = refusal({ orderId: 'x', ['k'.repeat(10_000)]: 1, __proto__x: 2 });
    expect(text.length).toBeLessThan(300);
    expect(text).toContain('"__proto__x"');
  });

  it('names the field of a wrong value', () => {
    expect(refusal({ orderId: 3 })).toMatch(/^orderId: /);
  });
});

describe('printableText', () => {
  it('escapes C0 and C1 controls and DEL, and says how long a capped text was', () => {
    expect(printableText('a\u0000\u007f\u009bz')).toBe('a\\u0000\\u007f\\u009bz');
    expect(printableText('x'.repeat(300), 10)).toBe('xxxxxxxxxx... (300 chars)');
  });
});
