import { QueueName } from '@ttt/contracts';
import { z } from 'zod';
import { strictJobBody } from './job-bodies.js';
import {
  addSourcesBody,
  addSourcesResponse,
  categoryResponse,
  createCategoryBody,
  errorResponse,
  jobDetailResponse,
  jobResponse,
  modelResponse,
  sourceResponse,
} from './schemas.js';

interface Route {
  method: 'get' | 'post';
  path: string;
  summary: string;
  body?: z.ZodType;
  /** A text/plain alternative to the JSON body. */
  textBody?: string;
  query?: { name: string; description: string; enum: string[] }[];
  ok: [status: number, schema: z.ZodType | null, description: string];
  errors?: number[];
  public?: boolean;
}

const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });

const jobRoute = (queue: Parameters<typeof strictJobBody>[0], summary: string, extra: number[] = []): Route => ({
  method: 'post',
  path: `/admin/jobs/${queue}`,
  summary,
  body: strictJobBody(queue),
  ok: [202, jobResponse, 'Queued'],
  errors: [400, 401, ...extra],
});

/** Every admin route: the OpenAPI document is built from this list. */
export const adminRoutes: Route[] = [
  { method: 'get', path: '/admin/categories', summary: 'Categories with their source and tweet counts and active model', ok: [200, z.array(categoryResponse), 'The categories'], errors: [401] },
  { method: 'post', path: '/admin/categories', summary: 'Add a category', body: createCategoryBody, ok: [201, categoryResponse, 'Created'], errors: [400, 401, 409] },
  { method: 'get', path: '/admin/categories/{slug}/sources', summary: "A category's source accounts", ok: [200, z.array(sourceResponse), 'The sources'], errors: [401, 404] },
  {
    method: 'post',
    path: '/admin/categories/{slug}/sources',
    summary: 'Add source accounts: JSON, or a text/plain handle list in the sources/<name>.txt format',
    body: addSourcesBody,
    textBody: 'One handle a line; blank lines, # comments and a `# name: ...` header allowed; @handles and profile URLs accepted.',
    query: [{ name: 'platform', description: 'Platform of a text/plain list (default x)', enum: ['x', 'bluesky'] }],
    ok: [200, addSourcesResponse, 'What was added, already present, and the lines that are not handles'],
    errors: [400, 401, 404, 413],
  },
  { method: 'post', path: '/admin/sources/{id}/disable', summary: 'Disable a source account (no longer scraped)', ok: [200, sourceResponse, 'The source'], errors: [401, 404] },
  { method: 'post', path: '/admin/sources/{id}/enable', summary: 'Enable a source account again', ok: [200, sourceResponse, 'The source'], errors: [401, 404] },
  jobRoute(QueueName.scrape, "Scrape a category's sources", [404]),
  jobRoute(QueueName.buildDataset, "Build a dataset of a category's tweets"),
  jobRoute(QueueName.train, 'Train a model version'),
  jobRoute(QueueName.import, 'Import twint JSON tweets into a category'),
  jobRoute(QueueName.generate, "Add machine tweets of a model version to the game's pool"),
  jobRoute(QueueName.evaluate, 'Evaluate a model version (distinct-n, memorization, detector accuracy)'),
  { method: 'get', path: '/admin/jobs/{id}', summary: 'A job: state, progress, attempts, result', ok: [200, jobDetailResponse, 'The job'], errors: [401, 404] },
  {
    method: 'post',
    path: '/admin/jobs/{id}/cancel',
    summary: 'Cancel a job that has not started (an active job cannot be cancelled: 409)',
    ok: [200, z.object({ id: z.string(), queue: z.string(), cancelled: z.literal(true) }), 'Removed'],
    errors: [401, 404, 409],
  },
  {
    method: 'post',
    path: '/admin/jobs/{id}/retry',
    summary: 'Retry a failed job',
    ok: [200, z.object({ id: z.string(), queue: z.string(), retried: z.literal(true), state: z.string() }), 'Queued again'],
    errors: [401, 404, 409],
  },
  { method: 'get', path: '/admin/models', summary: 'Every model version with its status and metrics', ok: [200, z.array(modelResponse), 'The model versions'], errors: [401] },
  { method: 'post', path: '/admin/models/{id}/activate', summary: "Make a ready version its category's active one (publishes model.activated)", ok: [200, modelResponse, 'Activated'], errors: [401, 404, 409] },
  { method: 'post', path: '/admin/models/{id}/retire', summary: 'Retire a model version', ok: [200, modelResponse, 'Retired'], errors: [401, 404] },
  { method: 'get', path: '/admin/openapi.json', summary: 'This document (no key needed)', ok: [200, null, 'OpenAPI 3.1 document'], public: true },
  { method: 'get', path: '/admin/docs', summary: 'A browsable page of this document (no key needed)', ok: [200, null, 'HTML page'], public: true },
];

const ERRORS: Record<number, string> = {
  400: 'Bad request: the message names the field',
  401: 'Missing or wrong API key, or no keys configured',
  404: 'Not found',
  409: 'Conflict: the message says why',
  413: 'Body too large',
};

const PARAMS: Record<string, string> = {
  slug: 'Category slug',
  id: 'Id ("<queue>:<n>" for jobs)',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= build();
  return cached;
}

function build(): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of adminRoutes) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => pathParam(m[1], PARAMS[m[1]] ?? m[1]));
    const query = (route.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: 'string', enum: q.enum } }));
    const [status, schema, description] = route.ok;
    const responses: Record<string, unknown> = {
      [status]: schema
        ? { description, content: { 'application/json': { schema: jsonSchema(schema, 'output') } } }
        : { description, content: { [route.path.endsWith('.json') ? 'application/json' : 'text/html']: {} } },
    };
    for (const code of route.errors ?? []) {
      responses[code] = { description: ERRORS[code], content: { 'application/json': { schema: jsonSchema(errorResponse, 'output') } } };
    }
    const content: Record<string, unknown> = {};
    if (route.body) content['application/json'] = { schema: jsonSchema(route.body, 'input') };
    if (route.textBody) content['text/plain'] = { schema: { type: 'string', description: route.textBody } };
    (paths[route.path] ??= {})[route.method] = {
      summary: route.summary,
      operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(route.body || route.textBody ? { requestBody: { required: true, content } } : {}),
      responses,
      ...(route.public ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Twitter Turing Test admin API',
      version: '1',
      description: 'Categories, source accounts, jobs and model versions. Every route but this document and /admin/docs needs `Authorization: Bearer <key>` (ADMIN_API_KEYS).',
    },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearerAuth: [] }],
    paths,
  };
}
