import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFormFields } from './form-fields.js';

const reference = (text: string) => Object.fromEntries(new URLSearchParams(text));

/** Own keys in order, with values, and the prototype: what toStrictEqual alone would not show. */
function shape(fields: Record<string, string>) {
  return {
    proto: Object.getPrototypeOf(fields),
    entries: Object.getOwnPropertyNames(fields).map((k) => [k, fields[k]]),
  };
}

describe('parseFormFields', () => {
  it.each([
    '',
    'a=1',
    'key_pk=67&apikey=PERSONAL_API_KEY',
    'a=1&a=2&b',
    '&&a=&=b&',
    'a+b=c+d&%61pi%6Bey=x%20y',
    'bad=%zz&half=%4&utf=%D1%80%D1%83',
    '__proto__=x&constructor=y&toString=z',
    '1=a&b=2&0=c',
    'name=caf\u00e9&lone=\ud800x',
  ])('gives what Object.fromEntries(new URLSearchParams(%j)) gives', (text) => {
    expect(shape(parseFormFields(text))).toStrictEqual(shape(reference(text)));
  });

  it('agrees with URLSearchParams on any text', () => {
    const piece = fc.constantFrom(
      '&',
      '=',
      '%',
      '+',
      '%2',
      '%41',
      '%zz',
      '%E2%82%AC',
      '__proto__',
      'a',
      '1',
      ' ',
      '\ud83d',
      'é',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(piece, { maxLength: 24 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(shape(parseFormFields(t))).toStrictEqual(shape(reference(t)));
      }),
      { numRuns: 3000 },
    );
  });
});
