import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * How requests are read before a route sees them:
 * - JSON bodies keep their types: `"name": 12345` or `image_type_id: true` is a 400 naming the
 *   field, never converted (query strings and path parameters are text, so they are converted);
 * - an empty JSON body (`Content-Type: application/json` and no bytes), or a write with no body at
 *   all, is `{}`;
 * - the text fields of a multipart upload are converted to the numbers and booleans its schema
 *   declares (multipart has no types of its own).
 */
export function installRequestParsing(app: FastifyInstance): void {
  const strict = newAjv(false);
  const converting = newAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : converting).compile(schema),
  );

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, {});
      return;
    }
    parseJson(request, text, done);
  });

  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && WRITES.has(request.method)) request.body = {};
    if (isMultipart(request)) convertMultipartFields(request);
  });
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

function newAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

function isMultipart(request: FastifyRequest): boolean {
  return /^multipart\/form-data/i.test(request.headers['content-type'] ?? '');
}

type PropertySchema = { type?: string | string[] };

/** Text fields of a multipart body, converted to the integer, number or boolean the route's schema declares. */
function convertMultipartFields(request: FastifyRequest): void {
  const body = request.body as Record<string, unknown> | null;
  const schema = request.routeOptions.schema?.body as
    | { properties?: Record<string, PropertySchema> }
    | undefined;
  if (!body || typeof body !== 'object' || !schema?.properties) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    const value = body[name];
    if (typeof value !== 'string') continue;
    const types = ([] as string[]).concat(property.type ?? []);
    if (
      (types.includes('integer') && /^-?\d{1,15}$/.test(value)) ||
      (types.includes('number') && /^-?\d+(\.\d+)?$/.test(value))
    )
      body[name] = Number(value);
    else if (types.includes('boolean') && (value === 'true' || value === 'false'))
      body[name] = value === 'true';
    else if (types.includes('object') && value.trim().startsWith('{')) {
      try {
        body[name] = JSON.parse(value);
      } catch {
        // left as text: the schema answers "must be object" naming the field
      }
    }
  }
}
