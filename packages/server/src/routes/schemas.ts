/** JSON schemas shared by routes (also the source of the OpenAPI document). */
export const idParam = { type: 'string', minLength: 1, maxLength: 64 } as const;

export const paginationQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, default: 1 },
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

export const errorSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    detail: { type: 'string' },
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
