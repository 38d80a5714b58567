// Writes docs/api-coverage.md from the contract table (`npm run gen:coverage` at the root).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderApiCoverage } from '../api/coverage.js';

const target = fileURLToPath(new URL('../../../../docs/api-coverage.md', import.meta.url));
writeFileSync(target, renderApiCoverage());
console.log(`wrote ${target}`);
