import { z } from 'zod';
import type { EndpointDefinition } from '../api/define-endpoint.js';
import type { Dialect } from '../api/dialect.js';
import { createPathTemplate, MalformedPathError, type PathTemplate } from '../api/path-template.js';
import { toValidationIssues, type ValidationIssue } from './fornex-error.js';

/** A request ready for the wire, without the key: the client adds it (and its redacted twin). */
interface EncodedRequest {
  /** The path, every path parameter percent-encoded. */
  readonly path: string;
  /** Query (GET) or form body (POST) parameters, form-encoded, `''` when there are none. */
  readonly form: string;
}

/** The outcome of encoding: the request, or the problems with the parameters. */
type EncodeResult = { ok: true; request: EncodedRequest } | { ok: false; issues: ValidationIssue[] };

interface CompiledEndpoint {
  readonly templates: Partial<Record<Dialect | 'default', PathTemplate>>;
  readonly schema: z.ZodType<Record<string, unknown>>;
  readonly pathNames: ReadonlySet<string>;
  /** The one request of an endpoint without parameters, built once. */
  readonly fixed: EncodeResult | undefined;
}

const compiled = new WeakMap<EndpointDefinition, CompiledEndpoint>();

function compile(endpoint: EndpointDefinition): CompiledEndpoint {
  let entry = compiled.get(endpoint);
  if (!entry) {
    const templates: CompiledEndpoint['templates'] = { default: createPathTemplate(endpoint.path) };
    for (const [dialect, path] of Object.entries(endpoint.dialectPaths ?? {})) {
      templates[dialect as Dialect] = createPathTemplate(path);
    }
    const shape = { ...endpoint.pathParams, ...endpoint.params };
    const none = Object.keys(shape).length === 0 && !endpoint.dialectPaths;
    entry = {
      templates,
      // Strict: a misspelt parameter is refused instead of silently left out of the request.
      schema: z.strictObject(shape),
      pathNames: new Set(Object.keys(endpoint.pathParams)),
      fixed: none ? { ok: true, request: { path: endpoint.path, form: '' } } : undefined,
    };
    compiled.set(endpoint, entry);
  }
  return entry;
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const _ in value) return false;
  return true;
}

/** One parameter value as the wire writes it: lists (`nss`) comma-separated, as documented. */
function wireValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * Validates the caller's parameters with the contract's schemas and encodes them: path
 * parameters into the path template, the others form-encoded. `dialect` picks a dialect's own
 * documented path (change_ns of the ru document).
 * @example encodeRequest(getEndpoint('vps.restart'), { order_id: '34-177054' }) // path /api/vps/restart/34-177054/
 */
export function encodeRequest(endpoint: EndpointDefinition, params: unknown, dialect?: Dialect): EncodeResult {
  const { templates, schema, pathNames, fixed } = compile(endpoint);
  // The hot path of parameterless GETs (balance, plans...): nothing to validate or encode.
  if (fixed && (params === undefined || isEmptyObject(params))) return fixed;
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) {
    return { ok: false, issues: toValidationIssues(parsed.error) };
  }
  const pathParams: Record<string, string> = {};
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    if (pathNames.has(name)) pathParams[name] = wireValue(value);
    else form.append(name, wireValue(value));
  }
  const template = (dialect && templates[dialect]) || (templates.default as PathTemplate);
  let path: string;
  try {
    path = template.build(pathParams);
  } catch (error) {
    // A value the schemas allow but no URL can carry (`..`): a validation issue like any other.
    if (!(error instanceof MalformedPathError)) throw error;
    return { ok: false, issues: [{ path: error.param, message: error.message }] };
  }
  return { ok: true, request: { path, form: form.toString() } };
}
