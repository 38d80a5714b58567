const surrogate = /[\uD800-\uDFFF]/;

/**
 * The fields of a form body or a query string, exactly as `Object.fromEntries(new URLSearchParams(text))`
 * gives them (a repeated name keeps its last value, `__proto__` is a field like any other), without
 * building a URLSearchParams and iterating its entries for every request: a pair holding neither
 * `%` nor `+` is taken as written, and only the others go through URLSearchParams' own decoding.
 */
export function parseFormFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const pair = text.slice(start, end);
      let name: string;
      let value: string;
      if (pair.includes('%') || pair.includes('+') || surrogate.test(pair)) {
        // One pair, no `&` left in it: URLSearchParams yields exactly one entry. (It also turns a
        // lone surrogate into U+FFFD: a pair with any surrogate takes this way too.)
        const decoded = new URLSearchParams(pair).entries().next().value as [string, string];
        [name, value] = decoded;
      } else {
        const eq = pair.indexOf('=');
        name = eq < 0 ? pair : pair.slice(0, eq);
        value = eq < 0 ? '' : pair.slice(eq + 1);
      }
      if (name === '__proto__') {
        // An own field, as Object.fromEntries makes it, never the object's prototype.
        Object.defineProperty(fields, name, { value, writable: true, enumerable: true, configurable: true });
      } else fields[name] = value;
    }
    start = end + 1;
  }
  return fields;
}
