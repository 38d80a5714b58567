export { renderApiCoverage } from './coverage.js';
export {
  type DialectSchemas,
  defineEndpoint,
  type EndpointDefinition,
  HttpMethod,
  type ParamShape,
  ResponseKind,
} from './define-endpoint.js';
export { Dialect, dialects, isDialect } from './dialect.js';
export { endpointPaths } from './endpoint-paths.js';
export { type EndpointId, type EndpointOf, endpoints, getEndpoint, isEndpointId } from './endpoints/index.js';
export type { DocumentedExample } from './fixtures/documented-example.js';
export { documentedExamples } from './fixtures/documented-examples.js';
export { createOpenApiDocument } from './openapi.js';
export * as params from './params.js';
export { createPathTemplate, MalformedPathError, type PathTemplate } from './path-template.js';
