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

/** A path's first two segments with their slashes (`/api/ssh_keys/`), or null when it has fewer. */
function groupOf(path: string): string | null {
  const second = path.indexOf('/', 1);
  const third = second < 0 ? -1 : path.indexOf('/', second + 1);
  return third < 0 ? null : path.slice(0, third + 1);
}

/** Compiles the contract table into a router (may throw MalformedPathError from `find`). */
export function createRouter(): Router {
  const routes: Route[] = (endpoints as readonly EndpointDefinition[]).map((endpoint) => ({
    endpoint,
    templates: endpointPaths(endpoint).map(createPathTemplate),
    pathSchema: schemaOf(endpoint.pathParams),
    paramsSchema: schemaOf(endpoint.params),
  }));
  // Every (route, template) pair in the order the routes were declared, with the literal text its
  // template starts with: a path that does not start so cannot match. Pairs are grouped by the
  // path's first two segments when their literal text covers them (`/api/ssh_keys/`), so a request
  // tries only its group, still in declaration order, and the same pairs match as if all were tried.
  const candidates = routes.flatMap((route) =>
    route.templates.map((template) => {
      const brace = template.template.indexOf('{');
      const prefix = brace < 0 ? template.template : template.template.slice(0, brace);
      return { route, template, prefix, group: groupOf(prefix) };
    }),
  );
  const anyGroup = candidates.filter((c) => c.group === null);
  const groups = new Map<string, typeof candidates>();
  for (const { group } of candidates) {
    if (group !== null && !groups.has(group))
      groups.set(
        group,
        candidates.filter((c) => c.group === null || c.group === group),
      );
  }
  return {
    find(method, rawPath) {
      let allow: string[] | null = null;
      const group = groupOf(rawPath);
      for (const { route, template, prefix } of (group !== null && groups.get(group)) || anyGroup) {
        if (!rawPath.startsWith(prefix)) continue;
        const pathParams = template.match(rawPath);
        if (!pathParams) continue;
        if (route.endpoint.method === method) return { kind: 'found', route, pathParams };
        if (allow) allow.push(route.endpoint.method);
        else allow = [route.endpoint.method];
      }
      return allow ? { kind: 'method', allow: [...new Set(allow)] } : { kind: 'none' };
    },
  };
}
