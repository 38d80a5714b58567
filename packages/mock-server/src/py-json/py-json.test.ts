import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPyFloat, pyFloat, toPythonJson } from './index.js';

describe('toPythonJson', () => {
  it('uses Python separators and keeps floats as floats', () => {
    expect(toPythonJson({ balance: pyFloat(91), currency: 'EUR' })).toBe('{"balance": 91.0, "currency": "EUR"}');
    expect(toPythonJson({ a: 1, b: [1, 2], c: null, d: true })).toBe('{"a": 1, "b": [1, 2], "c": null, "d": true}');
    expect(toPythonJson([{ ok: true }])).toBe('[{"ok": true}]');
    expect(toPythonJson({ ok: 'True' })).toBe('{"ok": "True"}');
    expect(toPythonJson({ skip: undefined, keep: 1 })).toBe('{"keep": 1}');
  });

  it('writes non-ASCII text as UTF-8, escaping what JSON must escape', () => {
    expect(toPythonJson({ error: 'Такая запись уже существует.' })).toBe('{"error": "Такая запись уже существует."}');
    expect(toPythonJson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
  });

  it('matches Python repr for floats at every magnitude', () => {
    const cases: Array<[number, string]> = [
      [91, '91.0'],
      [14293651161088, '14293651161088.0'],
      [0.24543386468220252, '0.24543386468220252'],
      [1e16, '1e+16'],
      [1.5e-5, '1.5e-05'],
      [0.0001, '0.0001'],
      [123456789012345680, '1.2345678901234568e+17'],
      [-0, '-0.0'],
      [4.5, '4.5'],
    ];
    for (const [value, expected] of cases) expect(formatPyFloat(value)).toBe(expected);
  });

  it('agrees with python3 itself on a mixed document', () => {
    const floats = [91, 3508146044885.079, 1e-7, 2.5e22, 61410.9215552, 0.1 + 0.2, 1e16, 123.456];
    const doc = { floats: floats.map(pyFloat), ints: [0, -1, 2 ** 53], text: 'ГБ × "q"', nested: [{ a: [] }, {}] };
    const script = `import json,sys; floats=${JSON.stringify(floats)}; print(json.dumps({"floats":[float(x) for x in floats],"ints":[0,-1,2**53],"text":"ГБ × \\"q\\"","nested":[{"a":[]},{}]}, ensure_ascii=False), end="")`;
    const python = execFileSync('python3', ['-c', script], { encoding: 'utf8' });
    expect(toPythonJson(doc)).toBe(python);
  });

  it('agrees with python3 on random floats of every magnitude, the edges of the plain range too', () => {
    const edges = [1e-4, 9.999999999999999e-5, 1e16, 9999999999999998, 1e-7, 5e-324, Number.MAX_VALUE, 0.1 + 0.2];
    const floats = [
      ...edges,
      ...edges.map((x) => -x),
      ...fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 2000, seed: 42 }),
    ];
    // Python reads each float back from its shortest JavaScript text, which round-trips exactly
    // (String(-0) is '0': -0 is written out).
    const script = 'import sys; print("\\n".join(repr(float(x)) for x in sys.stdin.read().split()), end="")';
    const python = execFileSync('python3', ['-c', script], {
      input: floats.map((x) => (Object.is(x, -0) ? '-0' : String(x))).join(' '),
      encoding: 'utf8',
    });
    expect(floats.map(formatPyFloat)).toEqual(python.split('\n'));
  });
});
