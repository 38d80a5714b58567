import { z } from 'zod';
import type { EndpointDefinition } from './define-endpoint.js';
import { endpointPaths } from './endpoint-paths.js';
import { endpoints } from './endpoints/index.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonObject {
  // Input side: what goes over the wire, before our transforms.
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;
  delete out.$schema;
  return out;
}

function responseSchema(endpoint: EndpointDefinition): JsonObject {
  if (endpoint.responseKind === 'text') return { type: 'string' };
  const en = jsonSchema(endpoint.response.en);
  const ru = jsonSchema(endpoint.response.ru);
  if (JSON.stringify(en) === JSON.stringify(ru)) return en;
  return {
    oneOf: [
      { title: 'en', ...en },
      { title: 'ru', ...ru },
    ],
  };
}

const apikey = { type: 'string', description: 'The personal API key.' };
const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' } },
  required: ['error'],
};

function operation(endpoint: EndpointDefinition): JsonObject {
  const parameters: JsonObject[] = Object.entries(endpoint.pathParams).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(schema),
  }));
  const params = z.object(endpoint.params);
  const paramsSchema = jsonSchema(params);
  const required = new Set((paramsSchema.required as string[] | undefined) ?? []);
  let requestBody: JsonObject | undefined;
  if (endpoint.method === 'GET') {
    for (const [name, schema] of Object.entries(endpoint.params)) {
      parameters.push({ name, in: 'query', required: required.has(name), schema: jsonSchema(schema) });
    }
    parameters.push({ name: 'apikey', in: 'query', required: true, schema: apikey });
  } else {
    const properties = { ...(paramsSchema.properties as JsonObject), apikey };
    requestBody = {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: { type: 'object', properties, required: [...required, 'apikey'] },
        },
      },
    };
  }
  const mediaType = endpoint.responseKind === 'json' ? 'application/json' : 'text/plain';
  return {
    operationId: endpoint.id,
    summary: endpoint.title,
    tags: [endpoint.group],
    ...(endpoint.quirk ? { description: `Quirk: ${endpoint.quirk}.` } : {}),
    ...(endpoint.protected ? { 'x-protected': true } : {}),
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses: {
      '200': {
        description: 'The answer; a bad parameter answers a JSON object with an `error` field.',
        content: { [mediaType]: { schema: responseSchema(endpoint) } },
      },
      '403': { description: 'Missing or wrong key, or a right the key lacks.' },
      '5XX': { description: 'Server error.' },
    },
  };
}

/** Builds the OpenAPI 3.1 document of the whole contract, from the endpoint table. */
export function createOpenApiDocument(options: { serverUrl?: string } = {}): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const endpoint of endpoints as readonly EndpointDefinition[]) {
    for (const path of endpointPaths(endpoint)) {
      const entry = paths[path] ?? {};
      const op = operation(endpoint);
      if (path !== endpoint.path) op.operationId = `${endpoint.id}.ru`;
      entry[endpoint.method.toLowerCase()] = op;
      paths[path] = entry;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fornex API (v0, as documented)',
      version: '0.1.0',
      description: 'Generated from the @fornex-flow/core contract table.',
    },
    servers: [{ url: options.serverUrl ?? 'https://fornex.com' }],
    components: { schemas: { Error: errorBody } },
    paths,
  };
}
