// Writes JSON byte for byte as Python's `json.dumps(obj, ensure_ascii=False)` does: `", "` and
// `": "` separators, and floats that stay floats (`91.0`, `1e+16`). Real clients grep these bytes.

/** A number that Python would hold as a float; serialized with Python's `repr`. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

/** Marks a number as a Python float, so `91` is written `91.0`. */
export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** Python's `repr(float)`: the shortest round-trip digits, exponent below 1e-4 and from 1e16. */
export function formatPyFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    // Python's plain range: JavaScript writes the same shortest digits there without an exponent.
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

function formatInt(value: number): string {
  if (!Number.isFinite(value)) return formatPyFloat(value);
  // Python ints never use exponent notation; JS switches at 1e21.
  return Math.abs(value) >= 1e21 ? BigInt(value).toString() : String(value);
}

function write(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? formatInt(value) : formatPyFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof PyFloat) return formatPyFloat(value.value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += i > 0 ? `, ${write(value[i])}` : write(value[i]);
    return `${out}]`;
  }
  if (typeof value === 'object') {
    let out = '{';
    let first = true;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      out += `${first ? '' : ', '}${JSON.stringify(key)}: ${write(item)}`;
      first = false;
    }
    return `${out}}`;
  }
  throw new TypeError(`cannot serialize a ${typeof value} as JSON`);
}

/** Serializes `value` exactly as Python's `json.dumps(value, ensure_ascii=False)` would. */
export function toPythonJson(value: unknown): string {
  return write(value);
}
