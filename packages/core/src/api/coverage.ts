import type { EndpointDefinition } from './define-endpoint.js';
import { endpointPaths } from './endpoint-paths.js';
import { endpoints } from './endpoints/index.js';
import { documentedExamples } from './fixtures/documented-examples.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Renders docs/api-coverage.md from the endpoint table; a test fails when the file is stale. */
export function renderApiCoverage(): string {
  const rows = (endpoints as readonly EndpointDefinition[]).map((endpoint) => {
    const examples = documentedExamples.filter((example) => example.id === endpoint.id);
    const dialects = examples.map((example) => example.dialect).join(', ');
    const params = [
      ...Object.keys(endpoint.pathParams).map((name) => `\`${name}\` (path)`),
      ...Object.keys(endpoint.params).map((name) => `\`${name}\``),
    ].join(', ');
    const paths = endpointPaths(endpoint)
      .map((p) => `\`${p}\``)
      .join('<br>');
    return `| \`${endpoint.id}\` | ${endpoint.method} | ${paths} | ${params || '-'} | ${endpoint.responseKind} | ${endpoint.protected ? 'yes' : ''} | ${dialects} | ${cell(endpoint.quirk ?? '')} |`;
  });
  return [
    '# API coverage',
    '',
    '<!-- Generated from packages/core/src/api by `npm run gen:coverage`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    `The contract table declares ${endpoints.length} endpoints. Every one is implemented by the client and the mock,`,
    'and every documented example (column "examples": the documents that give one) is parsed with its schema',
    'and run against the mock with its own curl and python requests.',
    '',
    '| id | method | path | parameters | response | protected | examples | quirk |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
