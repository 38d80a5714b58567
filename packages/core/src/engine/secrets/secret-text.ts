import { REDACTED } from '../../client/redact.js';

/** Secrets shorter than this are not searched inside text: a secret "7" would match every 7. */
export const minTextSecretLength = 4;

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

// A byte as two hex digits, each letter in either case: "%2f" and "%2F" are the same escape.
const hexEither = (byte: number) =>
  byte
    .toString(16)
    .padStart(2, '0')
    .replace(/[a-f]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);

/**
 * The regex source matching `secret` in any spelling: each character raw or percent-encoded (hex
 * digits in either case, so full, partial and mixed encodings all match), a space also as `+`
 * (form encoding), `"` and `\` also as JSON escapes.
 */
export function spellingPattern(secret: string): string {
  let out = '';
  for (const char of secret) {
    const alternatives = [escapeRegex(char)];
    alternatives.push([...Buffer.from(char, 'utf8')].map((byte) => `%${hexEither(byte)}`).join(''));
    if (char === ' ') alternatives.push('\\+');
    if (char === '"' || char === '\\') alternatives.push(`\\\\${escapeRegex(char)}`);
    out += `(?:${alternatives.join('|')})`;
  }
  return out;
}

/** A set of secrets searched inside text, in any spelling, and replaced there by `[REDACTED]`. */
export class SecretText {
  private readonly secrets = new Set<string>();
  private search: RegExp | undefined;
  private replace: RegExp | undefined;
  // Characters without which no encoded spelling can appear: most texts are cleared by `includes`.
  private readonly encodedHints = new Set<string>(['%']);

  /** True when no secret is searched. */
  get empty(): boolean {
    return this.secrets.size === 0;
  }

  /** Searches `secret` from now on (ignored when shorter than `minTextSecretLength`). */
  add(secret: string): void {
    if (secret.length < minTextSecretLength || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    if (secret.includes(' ')) this.encodedHints.add('+');
    if (secret.includes('"') || secret.includes('\\')) this.encodedHints.add('\\');
    this.search = undefined;
    this.replace = undefined;
  }

  /** True when `text` holds one of the secrets, in any spelling. */
  test(text: string): boolean {
    if (this.secrets.size === 0) return false;
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    let hinted = false;
    for (const hint of this.encodedHints) hinted ||= text.includes(hint);
    return hinted && this.pattern(false).test(text);
  }

  /** `text` with every spelling of every secret replaced by `[REDACTED]`. */
  redact(text: string): string {
    return this.test(text) ? text.replace(this.pattern(true), REDACTED) : text;
  }

  private pattern(global: boolean): RegExp {
    if (!this.search || !this.replace) {
      // Longest first, so that a secret never leaves a piece of a longer one behind.
      const source = [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map(spellingPattern)
        .join('|');
      this.search = new RegExp(source);
      this.replace = new RegExp(source, 'g');
    }
    return global ? this.replace : this.search;
  }
}
