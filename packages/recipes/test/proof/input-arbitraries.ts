import fc from 'fast-check';

/** The fixed seed of every fuzz run: a failure replays the same inputs. */
export const fuzzSeed = 13_2026;

/** A valid input of each recipe against the mock's default world. */
export const validInputs: Record<string, Record<string, unknown>> = {
  'rotate-ssh-keys': {
    title: 'ops',
    publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzzKey ops@host',
    replaceKeyId: 67,
    orders: ['34-177054'],
  },
  'reset-root-password': { orderId: '34-177054', pollIntervalMs: 100, timeoutMs: 60_000 },
  'migrate-dns': { fromValue: '127.0.0.1', toValue: '192.0.2.7', domains: ['example.com'] },
  'safe-reboot': { orderId: '34-177054', timeoutMs: 60_000, pollIntervalMs: 100 },
};

const huge = 'x'.repeat(20_000);

/** Values of the wrong type, out of range, huge, or odd unicode (controls, lone surrogates, RTL, NUL). */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    huge,
    `ssh-ed25519 AAAA ${huge}`,
    '\u0000',
    '\u001b[31mred\u001b[0m',
    '\ud800',
    '\u202e34-177054',
    '34-177054\n',
    ' ',
    '',
    -1,
    0,
    1e308,
    -0,
    2 ** 53 + 2,
    0.5,
    Number.MAX_SAFE_INTEGER,
    true,
    null,
    [],
    {},
    ['34-177054', '34-177054'],
  ),
);

/** Field names: the recipe's own, and odd ones (controls, escapes, prototype keys). */
function fieldName(fields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...fields),
    fc.constantFrom('__proto__', 'constructor', 'a\nb', '\u001b[2J', 'x'.repeat(5_000), '\ud83d'),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
}

/** Arbitrary JSON inputs for one recipe: its valid input with fields changed, dropped or added, or any JSON at all. */
export function recipeInput(recipeId: string): fc.Arbitrary<unknown> {
  const base = validInputs[recipeId] ?? {};
  const fields = Object.keys(base);
  const mutated = fc
    .record({
      changes: fc.array(fc.tuple(fieldName(fields), oddValue), { minLength: 1, maxLength: 3 }),
      drop: fc.option(fc.constantFrom(...fields), { nil: undefined }),
    })
    .map(({ changes, drop }) => {
      const input: Record<string, unknown> = { ...base };
      // defineProperty: a `__proto__` key becomes an own field, as JSON.parse makes it.
      for (const [key, value] of changes)
        Object.defineProperty(input, key, { value, enumerable: true, writable: true, configurable: true });
      if (drop !== undefined) delete input[drop];
      return input;
    });
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}
