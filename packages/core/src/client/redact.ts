/** What stands in for the API key in every URL, body, message and log line the client writes. */
export const REDACTED = '[REDACTED]';

/** Removes one secret from anything the client is about to show. */
export interface Redactor {
  /** The text with every spelling of the secret (raw, percent- or form-encoded) replaced. */
  text(text: string): string;
  /** A deep copy of a JSON-like value with the secret replaced in every string and key. */
  value(value: unknown): unknown;
  /** A copy of an error chain (name, message, code, stack, cause) with the secret replaced. */
  error(error: unknown): unknown;
}

const maxDepth = 32;

/**
 * The distinct spellings of a secret in what the client writes: raw, percent-encoded and
 * form-encoded, longest first (so a raw spelling never leaves a piece of an encoded one behind).
 */
export function spellingsOf(secret: string): readonly string[] {
  return [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({ k: secret }).toString().slice(2)])]
    .filter((spelling) => spelling.length > 0)
    .sort((a, b) => b.length - a.length);
}

/**
 * Creates a redactor for one secret. The client formats redacted URLs and bodies from their
 * parts; this is the second line: whatever else reaches a message (a server echoing the key, a
 * custom fetch quoting its URL) is scrubbed too.
 * @example createRedactor('k3y').text('?apikey=k3y') // '?apikey=[REDACTED]'
 */
export function createRedactor(secret: string): Redactor {
  const spellings = spellingsOf(secret);

  const text = (input: string): string => {
    let out = input;
    for (const spelling of spellings) if (out.includes(spelling)) out = out.split(spelling).join(REDACTED);
    return out;
  };

  const value = (input: unknown, depth = 0): unknown => {
    if (typeof input === 'string') return text(input);
    if (input === null || typeof input !== 'object') return input;
    if (depth >= maxDepth) return REDACTED;
    if (Array.isArray(input)) return input.map((item) => value(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input)) out[text(key)] = value(item, depth + 1);
    return out;
  };

  const error = (input: unknown, depth = 0): unknown => {
    if (!(input instanceof Error)) return value(input, depth);
    const copy = new Error(text(input.message));
    copy.name = text(input.name);
    copy.stack = input.stack === undefined ? undefined : text(input.stack);
    const code = (input as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
    // Other own properties (a socket, a request with headers) may hold anything: they are dropped.
    if (input.cause !== undefined && depth < 4) copy.cause = error(input.cause, depth + 1);
    return copy;
  };

  return { text, value: (input) => value(input), error: (input) => error(input) };
}
