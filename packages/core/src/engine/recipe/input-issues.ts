import type { z } from 'zod';

// Control characters (newlines, terminal escapes) in a field name or message would break the one
// line an INVALID_INPUT error is, and could drive the terminal that prints it.

/** C0 and C1 control characters, DEL included. */
export function isControlChar(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** Longest text of one issue shown; a 20 kB unknown key must not become a 20 kB error. */
const maxIssueChars = 200;

/** Text from the input made printable on one line: control characters escaped, length capped. */
export function printableText(text: string, maxChars = maxIssueChars): string {
  let escaped = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    escaped += isControlChar(code) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
  }
  return escaped.length > maxChars ? `${escaped.slice(0, maxChars)}... (${escaped.length} chars)` : escaped;
}

// Each unknown key is capped on its own, so a huge one never hides a short one after it.
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return printableText(issue.message);
  const keys = issue.keys.map((key) => `"${printableText(key, 60)}"`);
  return `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
}

/** zod's issues as one printable line: `field: message; other: message` (`(input)` for the whole object). */
export function describeInputIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `${printableText(issue.path.map(String).join('.') || '(input)')}: ${issueMessage(issue)}`)
    .join('; ');
}
