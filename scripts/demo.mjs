#!/usr/bin/env node
// `npm run demo` = `fornex-flow demo [--scale N]`: the mock in-process with a generated world, a
// temporary database, and every recipe with live progress (one crashed on purpose and resumed).
// The root `prepare` script builds the packages first (`npm install`, or `npm run build`).
process.argv.splice(2, 0, 'demo');
await import('../packages/recipes/bin/fornex-flow.js');
