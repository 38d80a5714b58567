import {
  createPathTemplate,
  type EndpointDefinition,
  endpointPaths,
  endpoints,
  type PathTemplate,
} from '@fornex-flow/core';
import { z } from 'zod';

/** A compiled endpoint: its path templates and the schemas that validate a request. */
export interface Route {
  readonly endpoint: EndpointDefinition;
  readonly templates: readonly PathTemplate[];
  readonly pathSchema: z.ZodType<Record<string, unknown>>;
  readonly paramsSchema: z.ZodType<Record<string, unknown>>;
}

/** The result of looking a request up. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly pathParams: Record<string, string> }
  | { readonly kind: 'method'; readonly allow: readonly string[] }
  | { readonly kind: 'none' };

/** Routes requests to endpoints of the contract; every dialect's path is served in every dialect. */
export interface Router {
  find(method: string, rawPath: string): RouteMatch;
}

/** Compiles the contract table into a router (may throw MalformedPathError from `find`). */
export function createRouter(): Router {
  const routes: Route[] = (endpoints as readonly EndpointDefinition[]).map((endpoint) => ({
    endpoint,
    templates: endpointPaths(endpoint).map(createPathTemplate),
    pathSchema: z.object(endpoint.pathParams) as unknown as z.ZodType<Record<string, unknown>>,
    paramsSchema: z.object(endpoint.params) as unknown as z.ZodType<Record<string, unknown>>,
  }));
  return {
    find(method, rawPath) {
      const allow: string[] = [];
      for (const route of routes) {
        for (const template of route.templates) {
          const pathParams = template.match(rawPath);
          if (!pathParams) continue;
          if (route.endpoint.method === method) return { kind: 'found', route, pathParams };
          allow.push(route.endpoint.method);
        }
      }
      return allow.length > 0 ? { kind: 'method', allow: [...new Set(allow)] } : { kind: 'none' };
    },
  };
}
