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
  /** Null for an endpoint without path parameters: nothing to validate. */
  readonly pathSchema: z.ZodType<Record<string, unknown>> | null;
  /** Null for an endpoint without query/form parameters. */
  readonly paramsSchema: z.ZodType<Record<string, unknown>> | null;
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

/** An object schema of the given fields, or null when there are none. */
function schemaOf(shape: Readonly<Record<string, z.ZodType>>): z.ZodType<Record<string, unknown>> | null {
  return Object.keys(shape).length === 0 ? null : (z.object(shape) as unknown as z.ZodType<Record<string, unknown>>);
}

/** Compiles the contract table into a router (may throw MalformedPathError from `find`). */
export function createRouter(): Router {
  const routes: Route[] = (endpoints as readonly EndpointDefinition[]).map((endpoint) => ({
    endpoint,
    templates: endpointPaths(endpoint).map(createPathTemplate),
    pathSchema: schemaOf(endpoint.pathParams),
    paramsSchema: schemaOf(endpoint.params),
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
