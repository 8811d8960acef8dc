/** JSON schemas shared by routes (also the source of the OpenAPI document). */
export const idParam = { type: 'string', minLength: 1, maxLength: 64 } as const;

/** Highest page number a list accepts (larger answers 400, so offsets stay far inside SQL's integers). */
export const MAX_PAGE = 1_000_000;

export const paginationQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
    page_size: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
    q: { type: 'string', maxLength: 200 },
  },
} as const;

export const paged = (item: object) =>
  ({
    type: 'object',
    properties: {
      count: { type: 'integer' },
      next: { type: ['string', 'null'] },
      previous: { type: ['string', 'null'] },
      results: { type: 'array', items: item },
    },
  }) as const;

/** The one error envelope of every 4xx and 5xx answer (`errors.ts`). */
export const errorSchema = {
  type: 'object',
  required: ['code', 'message', 'details'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

export const anyObject = { type: 'object', additionalProperties: true } as const;

/** Params of every route under a company: `{c}` checked against the caller's company. */
export const companyParams = (...names: string[]) => ({
  type: 'object',
  required: ['company_id', ...names],
  properties: Object.fromEntries(['company_id', ...names].map((n) => [n, idParam])),
});

export const bearer = [{ bearerAuth: [] }];

/** A batch as the lists answer it. */
export const batchSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    subject_id: { type: 'string' },
    dataset_id: { type: 'string' },
    creation_time: { type: 'string' },
  },
} as const;
