// Fails (exit 1) when source files under packages/*/src import each other in a loop; prints each cycle.
// Run: node scripts/check-cycles.mjs. Type-only imports count: a cycle of types is still a tangle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') walk(full);
    } else if (/\.tsx?$/.test(name) && !/\.test(-d)?\.ts$/.test(name)) files.push(full);
  }
};
for (const pkg of readdirSync(join(root, 'packages'))) {
  try {
    walk(join(root, 'packages', pkg, 'src'));
  } catch {}
}
const known = new Set(files);
const edges = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), match[1]).replace(/\.js$/, '.ts');
    const candidates = [target, target.replace(/\.ts$/, '.tsx'), join(target.replace(/\.ts$/, ''), 'index.ts')];
    const hit = candidates.find((c) => known.has(c));
    if (hit) targets.push(hit);
  }
  edges.set(file, targets);
}
const cycles = [];
const state = new Map();
const stack = [];
const visit = (file) => {
  state.set(file, 'open');
  stack.push(file);
  for (const next of edges.get(file) ?? []) {
    if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)).concat(next));
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 'done');
};
for (const file of files) if (!state.has(file)) visit(file);
for (const cycle of cycles) console.log(`cycle: ${cycle.map((f) => relative(root, f)).join(' -> ')}`);
console.log(`${files.length} files, ${cycles.length} import cycles`);
process.exit(cycles.length > 0 ? 1 : 0);
