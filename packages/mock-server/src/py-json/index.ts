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

function write(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    out.push(Number.isInteger(value) ? formatInt(value) : formatPyFloat(value));
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (value instanceof PyFloat) {
    out.push(formatPyFloat(value.value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(', ');
      write(value[i], out);
    }
    out.push(']');
  } else if (typeof value === 'object') {
    out.push('{');
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (!first) out.push(', ');
      first = false;
      out.push(JSON.stringify(key), ': ');
      write(item, out);
    }
    out.push('}');
  } else {
    throw new TypeError(`cannot serialize a ${typeof value} as JSON`);
  }
}

/** Serializes `value` exactly as Python's `json.dumps(value, ensure_ascii=False)` would. */
export function toPythonJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}
