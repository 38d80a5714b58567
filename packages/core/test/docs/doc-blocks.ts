// Finds the ```ts blocks of markdown files and compiles them with tsc as modules of one temporary
// project whose node_modules is the workspace's (so `@fornex-flow/*`, xstate and zod resolve as
// they would for a user: through the packages' `exports` and their built `.d.ts`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One ```ts block of a markdown file. */
export interface DocBlock {
  /** The markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in that file. */
  line: number;
  code: string;
  /** Hidden declarations from a `<!-- prelude ... -->` comment right above the fence. */
  prelude: string;
}

/** A tsc diagnostic, located in the markdown file. */
export interface DocError {
  file: string;
  line: number;
  column: number;
  message: string;
}

const fence = /^\s*```(ts|typescript)\s*$/;
const fenceEnd = /^\s*```\s*$/;

/** The ```ts blocks of one markdown text. A `<!-- prelude ... -->` comment just above a fence is prepended, unseen by readers. */
export function extractBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!fence.test(lines[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !fenceEnd.test(lines[end] ?? '')) end++;
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n'), prelude: preludeAbove(lines, i) });
    i = end;
  }
  return blocks;
}

function preludeAbove(lines: string[], fenceIndex: number): string {
  let j = fenceIndex - 1;
  while (j >= 0 && (lines[j] ?? '').trim() === '') j--;
  if (!(lines[j] ?? '').trim().endsWith('-->')) return '';
  const close = j;
  while (j >= 0 && !(lines[j] ?? '').includes('<!--')) j--;
  const comment = lines.slice(j, close + 1).join('\n');
  const match = /<!--\s*prelude\b([\s\S]*?)-->/.exec(comment);
  return match ? (match[1] ?? '').trim() : '';
}

/** Every markdown file under `dir`, recursively, relative to `root`. */
export function markdownFiles(root: string, dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(root, relative);
    return entry.name.endsWith('.md') ? [relative] : [];
  });
}

const compilerOptions = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** Compiles every block (one module each) against the workspace at `root`; returns the errors, located in the markdown. */
export function compileBlocks(root: string, blocks: readonly DocBlock[]): DocError[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-doc-blocks-'));
  try {
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const where = new Map<string, { block: DocBlock; offset: number }>();
    blocks.forEach((block, i) => {
      // The blocks of one markdown file share a directory, so that one can import another that
      // names itself with a first line `// file: name.ts` (as `./name.js`).
      const folder = block.file.replace(/[^a-z0-9]+/gi, '-');
      const named = /^\/\/ file: ([\w.-]+\.ts)\s*$/.exec(block.code.split('\n')[0] ?? '');
      const name = `${folder}/${named?.[1] ?? `block-${i}.ts`}`;
      const prelude = block.prelude ? `${block.prelude}\n` : '';
      fs.mkdirSync(path.join(dir, folder), { recursive: true });
      // `export {}` makes each block a module: its own scope, and top-level await allowed.
      fs.writeFileSync(path.join(dir, name), `${prelude}${block.code}\nexport {};\n`);
      where.set(name, { block, offset: prelude === '' ? 0 : prelude.split('\n').length - 1 });
    });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['**/*.ts'] }));
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8', cwd: dir });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
      if (!/error TS\d+/.test(output)) throw error;
    }
    return parseDiagnostics(output, where);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parseDiagnostics(output: string, where: Map<string, { block: DocBlock; offset: number }>): DocError[] {
  const errors: DocError[] = [];
  for (const line of output.split('\n')) {
    const match = /^([\w.-]+\/[\w.-]+\.ts)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
    if (!match) {
      // A continuation line of the previous message (tsc indents them), or an error outside the blocks.
      const last = errors.at(-1);
      if (last && /^\s/.test(line)) last.message += `\n${line}`;
      else if (/error TS/.test(line)) errors.push({ file: '(outside the blocks)', line: 0, column: 0, message: line });
      continue;
    }
    const [, name = '', row = '0', column = '0', message = ''] = match;
    const located = where.get(name);
    if (!located) continue;
    const inPrelude = Number(row) <= located.offset;
    errors.push({
      file: located.block.file,
      line: inPrelude ? located.block.line : located.block.line + Number(row) - 1 - located.offset,
      column: Number(column),
      message: inPrelude ? `(in the block's prelude) ${message}` : message,
    });
  }
  return errors;
}
