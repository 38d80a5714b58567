import type { EndpointDefinition } from './define-endpoint.js';

/** Every path an endpoint is served at: its path, then any dialect's own path, without repeats. */
export function endpointPaths(endpoint: Pick<EndpointDefinition, 'path' | 'dialectPaths'>): string[] {
  return [...new Set([endpoint.path, ...Object.values(endpoint.dialectPaths ?? {})])];
}
