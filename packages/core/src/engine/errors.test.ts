import { describe, expect, it } from 'vitest';
import { serializeError } from './errors.js';

describe('serializeError', () => {
  it('keeps an Error as name, message, code and status', () => {
    const error = Object.assign(new TypeError('bad'), { code: 'E_BAD', status: 503 });
    expect(serializeError(error)).toEqual({ name: 'TypeError', message: 'bad', code: 'E_BAD', status: 503 });
  });

  it('keeps an already serialized error as it is, rather than as its own JSON in a message', () => {
    // What a machine holds after an unhandled step error: the step's error as the engine delivered it.
    const delivered = { name: 'RecipeFailure', message: 'job 1234 did not complete', code: 'TIMEOUT' };
    expect(serializeError(delivered)).toEqual(delivered);
    expect(serializeError({ name: 'FornexError', message: 'HTTP 500', status: 500, extra: [1] })).toEqual({
      name: 'FornexError',
      message: 'HTTP 500',
      status: 500,
    });
  });

  it('describes anything else as an Error with a readable message', () => {
    expect(serializeError('boom')).toEqual({ name: 'Error', message: 'boom' });
    expect(serializeError({ reason: 'x' })).toEqual({ name: 'Error', message: '{"reason":"x"}' });
    expect(serializeError(undefined)).toEqual({ name: 'Error', message: 'undefined' });
  });
});
