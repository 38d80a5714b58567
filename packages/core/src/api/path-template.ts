/** A compiled path template: match a raw request path, or build a path from parameters. */
export interface PathTemplate {
  /** The template, e.g. `/api/vps_stat/{order_id}/{field}/{start}--{end}.json`. */
  readonly template: string;
  /** Parameter names in order of appearance. */
  readonly names: readonly string[];
  /** Matches a raw (still percent-encoded) path; returns decoded parameters, or null. */
  match(rawPath: string): Record<string, string> | null;
  /** Builds the path, percent-encoding every parameter so a value can never change the path; MalformedPathError for a `.` or `..` value. */
  build(params: Readonly<Record<string, string | number>>): string;
}

/** Thrown by `match` when a parameter is not valid percent-encoding, and by `build` when a value is a dot segment. */
export class MalformedPathError extends Error {
  override readonly name = 'MalformedPathError';

  constructor(
    /** The path parameter at fault. */
    readonly param: string,
    message: string,
  ) {
    super(`path parameter ${param} ${message}`);
  }
}

const placeholder = /\{([a-z_]+)\}/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a `{param}` path template. */
export function createPathTemplate(template: string): PathTemplate {
  const names: string[] = [];
  let source = '^';
  let last = 0;
  for (const found of template.matchAll(placeholder)) {
    source += escapeRegExp(template.slice(last, found.index));
    // Lazy, and never across a slash: `{start}--{end}` splits at the first `--`.
    source += '([^/]+?)';
    names.push(found[1] as string);
    last = found.index + found[0].length;
  }
  source += `${escapeRegExp(template.slice(last))}$`;
  const pattern = new RegExp(source);

  return {
    template,
    names,
    match(rawPath) {
      const found = pattern.exec(rawPath);
      if (!found) return null;
      const params: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) {
        const raw = found[i + 1] as string;
        try {
          // Without a `%` there is nothing to decode (and decodeURIComponent costs more than the match).
          params[names[i] as string] = raw.includes('%') ? decodeURIComponent(raw) : raw;
        } catch {
          throw new MalformedPathError(names[i] as string, 'is not valid percent-encoding');
        }
      }
      return params;
    },
    build(params) {
      return template.replace(placeholder, (_, name: string) => {
        const value = params[name];
        if (value === undefined) throw new TypeError(`missing path parameter ${name}`);
        const text = String(value);
        // URLs resolve `.` and `..` segments however they are percent-encoded (`%2E%2E` too): no
        // encoding keeps such a value from moving the path, so it is refused.
        if (text === '.' || text === '..') throw new MalformedPathError(name, 'cannot be "." or ".."');
        return encodeURIComponent(text);
      });
    },
  };
}
