// JSON with its raw text kept: JSON.parse forgets whether `91.0` was a float and how the bytes
// were separated, and both are part of the documented shape.

type ScalarKind = 'null' | 'boolean' | 'int' | 'float' | 'string';

export type JsonNode =
  | { readonly kind: ScalarKind; readonly raw: string; readonly value: unknown }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [key: string, rawKey: string, JsonNode]> };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Loose on purpose: JSON.parse of the raw string then rejects bad escapes and control characters.
const STRING = /"(?:[^"\\]|\\.)*"/y;

/** Parses strict JSON into nodes that remember each scalar's raw text. */
export function parseJson(text: string): JsonNode {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${at} of ${JSON.stringify(text.slice(0, 200))}`);
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
  };
  const token = (pattern: RegExp): string | null => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) return null;
    at += match[0].length;
    return match[0];
  };
  const literal = (word: string, kind: ScalarKind, value: unknown): JsonNode | null => {
    if (!text.startsWith(word, at)) return null;
    at += word.length;
    return { kind, raw: word, value };
  };
  const value = (): JsonNode => {
    skipSpace();
    const char = text.charAt(at);
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') {
      const raw = token(STRING) ?? fail('bad string');
      return { kind: 'string', raw, value: JSON.parse(raw) };
    }
    const word =
      literal('null', 'null', null) ?? literal('true', 'boolean', true) ?? literal('false', 'boolean', false);
    if (word) return word;
    const raw = token(NUMBER) ?? fail('unexpected character');
    return { kind: /[.eE]/.test(raw) ? 'float' : 'int', raw, value: Number(raw) };
  };
  const expectChar = (char: string) => {
    skipSpace();
    if (text.charAt(at) !== char) fail(`expected ${char}`);
    at++;
  };
  // Calls `item` for each element of a `,`-separated sequence closed by `close`.
  const sequence = (close: string, item: () => void) => {
    skipSpace();
    if (text.charAt(at) === close) {
      at++;
      return;
    }
    for (;;) {
      item();
      skipSpace();
      if (text.charAt(at) === close) {
        at++;
        return;
      }
      expectChar(',');
    }
  };
  const array = (): JsonNode => {
    at++;
    const items: JsonNode[] = [];
    sequence(']', () => items.push(value()));
    return { kind: 'array', items };
  };
  const object = (): JsonNode => {
    at++;
    const entries: Array<readonly [string, string, JsonNode]> = [];
    sequence('}', () => {
      skipSpace();
      const rawKey = token(STRING) ?? fail('expected a key');
      expectChar(':');
      entries.push([JSON.parse(rawKey) as string, rawKey, value()]);
    });
    return { kind: 'object', entries };
  };
  const root = value();
  skipSpace();
  if (at !== text.length) fail('trailing text');
  return root;
}

/** The node written as Python's `json.dumps` writes it: one line, `", "` and `": "` separators. */
export function pythonLayout(node: JsonNode): string {
  if (node.kind === 'array') return `[${node.items.map(pythonLayout).join(', ')}]`;
  if (node.kind === 'object')
    return `{${node.entries.map(([, rawKey, v]) => `${rawKey}: ${pythonLayout(v)}`).join(', ')}}`;
  return node.raw;
}

function isScalar(node: JsonNode): node is Extract<JsonNode, { raw: string }> {
  return node.kind !== 'array' && node.kind !== 'object';
}

// ---------------------------------------------------------------------------------------------
// Shapes: what the documented body allows. A documented list's items together give its item
// shape (the en dns.records items have `prio` null in one and 1 in the other; the vps.stats
// series have `type` only in the second); an array whose items are of different kinds, like
// ds.traffic's `["2015-11-11", {...}]`, is a tuple and is checked position by position.

export type Shape =
  | { readonly kind: 'scalar'; readonly types: ReadonlySet<ScalarKind> }
  | { readonly kind: 'list'; readonly item: Shape | null }
  | { readonly kind: 'tuple'; readonly items: readonly Shape[] }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, { shape: Shape; required: boolean }> };

const structure = (node: JsonNode) => (isScalar(node) ? 'scalar' : node.kind);

export function shapeOf(node: JsonNode): Shape {
  if (isScalar(node)) return { kind: 'scalar', types: new Set([node.kind]) };
  if (node.kind === 'object') {
    return {
      kind: 'object',
      fields: new Map(node.entries.map(([key, , v]) => [key, { shape: shapeOf(v), required: true }])),
    };
  }
  const kinds = new Set(node.items.map(structure));
  if (kinds.size > 1) return { kind: 'tuple', items: node.items.map(shapeOf) };
  const item = node.items.map(shapeOf).reduce<Shape | null>((a, b) => (a ? mergeShapes(a, b) : b), null);
  return { kind: 'list', item };
}

function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', types: new Set([...a.types, ...b.types]) };
  if (a.kind === 'list' && b.kind === 'list') {
    return { kind: 'list', item: a.item && b.item ? mergeShapes(a.item, b.item) : (a.item ?? b.item) };
  }
  if (a.kind === 'tuple' && b.kind === 'tuple' && a.items.length === b.items.length) {
    return { kind: 'tuple', items: a.items.map((item, i) => mergeShapes(item, b.items[i] as Shape)) };
  }
  if (a.kind === 'object' && b.kind === 'object') {
    const fields = new Map<string, { shape: Shape; required: boolean }>();
    for (const key of new Set([...a.fields.keys(), ...b.fields.keys()])) {
      const x = a.fields.get(key);
      const y = b.fields.get(key);
      const shape = x && y ? mergeShapes(x.shape, y.shape) : ((x ?? y) as { shape: Shape }).shape;
      fields.set(key, { shape, required: Boolean(x?.required && y?.required) });
    }
    return { kind: 'object', fields };
  }
  throw new Error(`documented items of different kinds: ${a.kind} and ${b.kind}`);
}

/** Every way `node` departs from `shape`, as `path: problem` lines. */
export function shapeProblems(shape: Shape, node: JsonNode, path = '$'): string[] {
  switch (shape.kind) {
    case 'scalar':
      return isScalar(node) && shape.types.has(node.kind)
        ? []
        : [`${path}: ${node.kind} ${pythonLayout(node)}, documented ${[...shape.types].join('|')}`];
    case 'list':
      if (node.kind !== 'array') return [`${path}: ${node.kind}, documented a list`];
      return shape.item
        ? node.items.flatMap((item, i) => shapeProblems(shape.item as Shape, item, `${path}[${i}]`))
        : [];
    case 'tuple':
      if (node.kind !== 'array' || node.items.length !== shape.items.length) {
        return [`${path}: ${pythonLayout(node)}, documented a ${shape.items.length}-tuple`];
      }
      return node.items.flatMap((item, i) => shapeProblems(shape.items[i] as Shape, item, `${path}[${i}]`));
    case 'object': {
      if (node.kind !== 'object') return [`${path}: ${node.kind}, documented an object`];
      const keys = new Set(node.entries.map(([key]) => key));
      const missing = [...shape.fields].filter(([key, f]) => f.required && !keys.has(key)).map(([key]) => key);
      const extra = [...keys].filter((key) => !shape.fields.has(key));
      return [
        ...missing.map((key) => `${path}: missing key ${key}`),
        ...extra.map((key) => `${path}: undocumented key ${key}`),
        ...node.entries.flatMap(([key, , v]) => {
          const field = shape.fields.get(key);
          return field ? shapeProblems(field.shape, v, `${path}.${key}`) : [];
        }),
      ];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Documented values. Numbers compare by their raw text, so `148.0` must come back as `148.0`.

function sameValue(a: JsonNode, b: JsonNode): boolean {
  if (isScalar(a) || isScalar(b)) {
    if (!isScalar(a) || !isScalar(b) || a.kind !== b.kind) return false;
    return a.kind === 'int' || a.kind === 'float' ? a.raw === b.raw : a.value === b.value;
  }
  if (a.kind === 'array' && b.kind === 'array') {
    return a.items.length === b.items.length && a.items.every((item, i) => sameValue(item, b.items[i] as JsonNode));
  }
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.entries.length !== b.entries.length) return false;
    return a.entries.every(([key, , v]) => {
      const other = b.entries.find(([k]) => k === key);
      return other !== undefined && sameValue(v, other[2]);
    });
  }
  return false;
}

/**
 * Where the answer lacks a documented value. A documented list is a sample: each of its items
 * must be in the answer, deep-equal; objects are followed key by key down to such lists.
 */
export function missingValues(doc: JsonNode, answer: JsonNode, path = '$'): string[] {
  if (doc.kind === 'array') {
    if (answer.kind !== 'array') return [`${path}: not a list`];
    return doc.items
      .filter((item) => !answer.items.some((candidate) => sameValue(item, candidate)))
      .map((item) => `${path}: documented item missing: ${pythonLayout(item)}`);
  }
  if (doc.kind === 'object') {
    if (answer.kind !== 'object') return [`${path}: not an object`];
    return doc.entries.flatMap(([key, , v]) => {
      const other = answer.entries.find(([k]) => k === key);
      return other ? missingValues(v, other[2], `${path}.${key}`) : [`${path}: missing key ${key}`];
    });
  }
  return sameValue(doc, answer) ? [] : [`${path}: ${pythonLayout(answer)}, documented ${doc.raw}`];
}
