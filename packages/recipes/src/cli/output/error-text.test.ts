import { describe, expect, it } from 'vitest';
import { readableError } from './error-text.js';

describe('readableError', () => {
  it('unwraps nested serialized errors level by level', () => {
    const child = JSON.stringify({ name: 'FornexError', message: 'vps.status: Order not found.', code: 'api' });
    const parent = JSON.stringify({ name: 'EngineError', message: `run B failed: ${child}`, code: 'RUN_FAILED' });
    expect(readableError(`run A failed: ${parent}`)).toBe('run A failed: run B failed: vps.status: Order not found.');
  });

  it('leaves other messages alone, braces included', () => {
    expect(readableError('plain message')).toBe('plain message');
    expect(readableError('bad body {not json')).toBe('bad body {not json');
    expect(readableError('value {"a": 1} has no message')).toBe('value {"a": 1} has no message');
  });
});
