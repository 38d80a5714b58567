import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const docsDir = path.resolve(here, '../../../docs');
// The pages this package owns; every ```ts block in them must compile against the built packages.
const pages = ['recipes.md', 'test-kit.md'];

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('docs', () => {
  it.each(pages)(
    'every ts block of docs/%s compiles',
    (page) => {
      const blocks = tsBlocks(fs.readFileSync(path.join(docsDir, page), 'utf8'));
      expect(blocks.length).toBeGreaterThan(0);
      // Inside the package, so that imports resolve as a user's would (node_modules, package exports).
      const dir = fs.mkdtempSync(path.join(here, '.docs-check-'));
      try {
        const files = blocks.map((code, i) => {
          const file = path.join(dir, `${page.replace('.md', '')}-${i + 1}.ts`);
          fs.writeFileSync(file, code);
          return file;
        });
        const program = ts.createProgram(files, {
          target: ts.ScriptTarget.ES2022,
          lib: ['lib.es2023.d.ts'],
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        });
        const problems = ts.getPreEmitDiagnostics(program).map((d) => {
          const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
          const file = d.file ? path.basename(d.file.fileName) : '';
          return `${file}:${where ? where.line + 1 : '?'} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
        expect(problems).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
