// Every ```ts block of docs/**/*.md compiles, as a user outside this repository would compile it
// (strict, NodeNext, the packages' built types). Needs `npm run build` first (turbo's test task does it).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileBlocks, type DocBlock, extractBlocks, markdownFiles } from './doc-blocks.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

// Two blocks that must fail: proof that the harness sees errors and locates them.
const probe = [
  '# probe',
  '',
  '```ts',
  "import { createFornexClient } from '@fornex-flow/core';",
  "await createFornexClient({ apiKey: 'k' }).vps.restrt('34-1');",
  '```',
  '',
  '<!-- prelude',
  'declare const orderId: number;',
  '-->',
  '```ts',
  'const id: string = orderId;',
  '```',
].join('\n');

describe('docs', () => {
  it('every ```ts block of docs/**/*.md compiles; a failing block is named by file and line', {
    timeout: 180_000,
  }, () => {
    const files = markdownFiles(root, 'docs');
    const blocks: DocBlock[] = files.flatMap((file) =>
      extractBlocks(file, fs.readFileSync(path.join(root, file), 'utf8')),
    );
    expect(blocks.length).toBeGreaterThan(10);
    const probeBlocks = extractBlocks('probe.md', probe);
    expect(probeBlocks.map((b) => [b.line, b.prelude])).toEqual([
      [4, ''],
      [12, 'declare const orderId: number;'],
    ]);

    const errors = compileBlocks(root, [...blocks, ...probeBlocks]);

    const probeErrors = errors.filter((e) => e.file === 'probe.md');
    expect(probeErrors.map((e) => [e.line, e.message.slice(0, 7)])).toEqual([
      [5, 'TS2551:'],
      [12, 'TS2322:'],
    ]);
    const report = errors
      .filter((e) => e.file !== 'probe.md')
      .map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`);
    expect(report).toEqual([]);
  });
});
