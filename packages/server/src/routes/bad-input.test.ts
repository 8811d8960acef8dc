import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { createTestApp, FACE_PHOTO, type TestApp } from '../testing/test-app.ts';

/**
 * The bad-input suite: requests generated from the OpenAPI document over every route (malformed
 * JSON, wrong types, huge and unicode strings, bad ids, path traversal, wrong content types,
 * truncated and non-image files, decompression bombs, bad auth). Every one must answer a 4xx with
 * the error envelope, none a 5xx, and the server must still take a good upload afterwards.
 */

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';

interface Case {
  route: string;
  what: string;
  request: InjectOptions;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  maxLength?: number;
  enum?: unknown[];
  maximum?: number;
};
type Operation = {
  security?: unknown[];
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
};

// ---- files that are not acceptable images ----

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG that claims 60 000 x 60 000 pixels in a few hundred bytes (a decompression bomb). */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60_000, 0);
  ihdr.writeUInt32BE(60_000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(60_001 * 4))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The face JPEG with its frame header patched to 65 000 x 65 000 pixels. */
function jpegBomb(face: Buffer): Buffer {
  // The last frame header is the main image's (an EXIF thumbnail's comes first).
  const out = Buffer.from(face);
  for (let i = out.length - 10; i >= 2; i--) {
    if (out[i] === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2)) {
      out.writeUInt16BE(65_000, i + 5);
      out.writeUInt16BE(65_000, i + 7);
      return out;
    }
  }
  throw new Error('no SOF marker');
}

/**
 * The AILab endpoints answer in AILab's own wire format (seeds/004, research notes §6): the HTTP
 * status in `error_code`, a code string, a message and `error_detail`.
 */
function isAilabEnvelope(body: Record<string, unknown> | undefined, status: number): boolean {
  const detail = body?.error_detail as Record<string, unknown> | undefined;
  return (
    body?.error_code === status &&
    typeof body.error_code_str === 'string' &&
    body.error_code_str !== '' &&
    typeof body.error_msg === 'string' &&
    detail?.status_code === status
  );
}

function badFiles(face: Buffer): [string, Buffer][] {
  return [
    ['an empty file', Buffer.alloc(0)],
    ['a text file', Buffer.from('hello, this is not a photo\n')],
    ['an HTML page', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['a truncated JPEG', face.subarray(0, Math.floor(face.length / 3))],
    [
      'JPEG magic then garbage',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 7)]),
    ],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))],
    ['a PNG decompression bomb', pngBomb()],
    ['a JPEG claiming 65000x65000', jpegBomb(face)],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9e9" height="9e9"/>')],
  ];
}

function multipart(
  boundary: string,
  parts: { name: string; filename?: string; type?: string; data: Buffer }[],
) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
      p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

// ---- values of the wrong type for a schema ----

function typesOf(schema: Schema): string[] {
  return ([] as string[]).concat(schema.type ?? []);
}

function wrongValues(schema: Schema): [string, unknown][] {
  const types = typesOf(schema);
  if (types.length === 0) return [];
  const candidates: [string, string, unknown][] = [
    ['string', 'a number for a string', 12345],
    ['string', 'a boolean for a string', true],
    ['integer', 'a numeric string for an integer', '1'],
    ['integer', 'a fraction for an integer', 1.5],
    ['integer', 'a boolean for an integer', true],
    ['number', 'a string for a number', 'NaN'],
    ['boolean', 'a string for a boolean', 'true'],
    ['boolean', 'a number for a boolean', 1],
    ['object', 'an array for an object', []],
    ['object', 'a string for an object', '{}'],
    ['array', 'an object for an array', {}],
    ['array', 'a string for an array', '[1]'],
  ];
  return candidates
    .filter(([type, , value]) => types.includes(type) && !valueFits(types, value))
    .map(([, what, value]): [string, unknown] => [what, value])
    .concat(limitValues(schema));
}

/** Values of the right type that break the schema's limits: length, enum, maximum. */
function limitValues(schema: Schema): [string, unknown][] {
  const types = typesOf(schema);
  const out: [string, unknown][] = [];
  if (typeof schema.maxLength === 'number') {
    out.push(['a string over its maximum length', 'x'.repeat(schema.maxLength + 1)]);
    out.push(['a unicode string over its maximum length', '💥'.repeat(schema.maxLength + 1)]);
  }
  if (schema.enum) out.push(['a value outside its enum', types.includes('string') ? 'ünknown' : 987654]);
  if (types.includes('integer') && typeof schema.maximum === 'number')
    out.push(['an integer over its maximum', 1e30]);
  return out;
}

function valueFits(types: string[], value: unknown): boolean {
  if (value === null) return types.includes('null');
  if (Array.isArray(value)) return types.includes('array');
  if (typeof value === 'number')
    return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
  return types.includes(typeof value);
}

// ---- the generator ----

const BAD_IDS: [string, string][] = [
  ['an unknown id', 'does-not-exist'],
  ['a path traversal', '..%2F..%2F..%2Fetc%2Fpasswd'],
  ['a unicode id', '%E2%80%AE%F0%9F%92%A5%E5%90%8D'],
  ['an over-long id', 'a'.repeat(300)],
  ['a NUL byte', 'x%00y'],
  ['SQL in an id', "1'%20OR%20'1'%3D'1"],
  ['a malformed percent-encoding', '%E0%A4%A'],
];

function generate(
  doc: { paths: Record<string, Record<string, Operation>> },
  ids: Record<string, string>,
  tokens: { a: string; b: string; expired: string },
  face: Buffer,
): Case[] {
  const cases: Case[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [lower, op] of Object.entries(operations)) {
      const method = lower.toUpperCase() as InjectOptions['method'];
      const route = `${method} ${template}`;
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const pathWith = (over: Record<string, string> = {}) =>
        template.replace(/\{(\w+)\}/g, (_, n: string) => over[n] ?? ids[n] ?? 'missing-fixture');
      const good = { authorization: `Bearer ${tokens.a}` };
      const hasBody = ['POST', 'PUT', 'PATCH'].includes(String(method));
      const base = (): InjectOptions => ({
        method,
        url: pathWith(),
        headers: { ...good },
        ...(hasBody ? { payload: {} } : {}),
      });
      const add = (what: string, request: InjectOptions) => cases.push({ route, what, request });

      if (op.security) {
        add('no token', { ...base(), headers: {} });
        add('a garbage bearer token', { ...base(), headers: { authorization: 'Bearer not.a.token' } });
        add('an expired token', { ...base(), headers: { authorization: `Bearer ${tokens.expired}` } });
        add('a token given as ?token=', { ...base(), url: `${pathWith()}?token=${tokens.a}`, headers: {} });
        add('a token given as a cookie', { ...base(), headers: { cookie: `authorization=${tokens.a}` } });
        add('a 10 kB authorization header', {
          ...base(),
          headers: { authorization: `Bearer ${'x'.repeat(10_000)}` },
        });
        if (names.includes('company_id'))
          add("another company's token", { ...base(), headers: { authorization: `Bearer ${tokens.b}` } });
      }
      for (const name of names) {
        for (const [what, value] of BAD_IDS)
          add(`${name}: ${what}`, { ...base(), url: pathWith({ [name]: value }) });
      }
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query' || !p.schema) continue;
        // A query string is text: only its limits can be broken (length, enum, range).
        for (const [what, value] of limitValues(p.schema)) {
          add(`?${p.name}: ${what}`, {
            ...base(),
            url: `${pathWith()}?${p.name}=${encodeURIComponent(String(value))}`,
          });
        }
        if (typesOf(p.schema).includes('integer'))
          for (const v of ['-1', '99999999999999999999', '1e400', 'abc'])
            add(`?${p.name}=${v}`, { ...base(), url: `${pathWith()}?${p.name}=${v}` });
      }
      const json = op.requestBody?.content['application/json']?.schema;
      if (hasBody) {
        add('a body in an unsupported content type', {
          ...base(),
          headers: { ...good, 'content-type': 'application/xml' },
          payload: '<a/>',
        });
      }
      if (hasBody && json) {
        const raw = (what: string, payload: string) =>
          add(what, { ...base(), headers: { ...good, 'content-type': 'application/json' }, payload });
        raw('malformed JSON', '{"name": "x",');
        raw('a JSON string', '"just a string"');
        raw('JSON null', 'null');
        raw('a JSON array', '[{"name": "x"}]');
        raw('a prototype-polluting body', '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}');
        raw('10 000 nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
        for (const [prop, schema] of Object.entries(json.properties ?? {})) {
          for (const [what, value] of wrongValues(schema)) {
            add(`body.${prop}: ${what}`, { ...base(), payload: { [prop]: value } });
          }
        }
        if (json.required?.length) add('a body missing its required fields', { ...base(), payload: {} });
      }
      if (op.requestBody?.content['multipart/form-data']) {
        for (const [what, bytes] of badFiles(face)) {
          add(`b64data: ${what}`, { ...base(), payload: { b64data: bytes.toString('base64') || 'AAAA' } });
          add(`multipart file: ${what}`, {
            ...base(),
            headers: { ...good, 'content-type': 'multipart/form-data; boundary=XyZ' },
            payload: multipart('XyZ', [
              { name: 'file', filename: 'face.jpg', type: 'image/jpeg', data: bytes },
            ]),
          });
        }
        add('b64data: not base64', { ...base(), payload: { b64data: '***not base64 at all***' } });
        add('b64data: a data: URL of text', {
          ...base(),
          payload: {
            b64data: `data:text/plain;base64,${Buffer.from('hi there, friend').toString('base64')}`,
          },
        });
        add('multipart: a boundary that does not match its header', {
          ...base(),
          headers: { ...good, 'content-type': 'multipart/form-data; boundary=expected' },
          payload: multipart('other', [
            { name: 'file', filename: 'f.jpg', type: 'image/jpeg', data: face.subarray(0, 5000) },
          ]),
        });
        add('multipart: a body cut in the middle of the file', {
          ...base(),
          headers: { ...good, 'content-type': 'multipart/form-data; boundary=XyZ' },
          payload: multipart('XyZ', [
            { name: 'file', filename: 'f.jpg', type: 'image/jpeg', data: face },
          ]).subarray(0, 3000),
        });
        add('multipart: side_id not a number', {
          ...base(),
          headers: { ...good, 'content-type': 'multipart/form-data; boundary=XyZ' },
          payload: multipart('XyZ', [
            { name: 'side_id', data: Buffer.from('front') },
            { name: 'file', filename: 'f.jpg', type: 'image/jpeg', data: face },
          ]),
        });
        add('multipart: two files', {
          ...base(),
          headers: { ...good, 'content-type': 'multipart/form-data; boundary=XyZ' },
          payload: multipart('XyZ', [
            { name: 'file', filename: 'a.jpg', type: 'image/jpeg', data: face.subarray(0, 100) },
            { name: 'image', filename: 'b.jpg', type: 'image/jpeg', data: face.subarray(0, 100) },
          ]),
        });
      }
      if (!op.security && names.length === 0 && !hasBody) {
        // Public reads without inputs: the wrong method on their path is the bad request.
        add('a method the route does not serve', { method: 'DELETE', url: template });
      }
    }
  }
  return cases;
}

describe('bad-input suite over every route of the OpenAPI document', () => {
  let t: TestApp;
  let face: Buffer;
  let ids: Record<string, string>;
  let tokens: { a: string; b: string; expired: string };
  let uploadUrl: string;
  before(async () => {
    t = await createTestApp();
    face = readFileSync(FACE_PHOTO);
    const a = await t.login(t.a);
    const past = await t.rebuild({ now: () => Date.now() - 2 * 3600 * 1000 });
    const old = await past.inject({
      method: 'POST',
      url: '/api/v1/login/',
      payload: { username: t.a.username, password: t.a.password },
    });
    tokens = { a, b: await t.login(t.b), expired: old.json().access_token };
    const auth = { authorization: `Bearer ${a}` };
    const c = `/api/v1/companies/${t.a.companyId}`;
    const post = async (url: string, payload: object = {}) => {
      const r = await t.app.inject({ method: 'POST', url, headers: auth, payload });
      assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
      return r.json();
    };
    const dataset = await post(`${c}/datasets/`, { name: 'bad input' });
    const subject = await post(`${c}/datasets/${dataset.id}/subjects/`, { name: 's' });
    const batch = await post(`${c}/datasets/${dataset.id}/subjects/${subject.id}/batches/`);
    const image = await post(
      `${c}/datasets/${dataset.id}/subjects/${subject.id}/batches/${batch.id}/images/`,
      {
        b64data: face.toString('base64'),
      },
    );
    const token = await post('/api/v1/auth/private_tokens/', { name: 'bad input' });
    const v3 = await post(`/api/v3/companies/${t.a.companyId}/subjects/${subject.id}/upload/`, {
      front: true,
    });
    uploadUrl = new URL(v3.front.url).pathname + new URL(v3.front.url).search;
    ids = {
      company_id: t.a.companyId,
      dataset_id: dataset.id,
      subject_id: subject.id,
      batch_id: batch.id,
      image_id: image.id,
      aux_id: image.id,
      application_id: FSM2,
      id: token.id,
      file: `${image.id}.jpg`,
      algorithm: 'pores',
      view: 'restored',
    };
  });
  after(() => t.close());

  test("at least 300 generated bad requests: each a 4xx with {code, message, details} (AILab routes: AILab's own envelope), none a 5xx", async (ctx) => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const cases = generate(doc, ids, tokens, face);
    // The v3 upload link takes raw bytes: every bad file, and the link's signature tampered with.
    for (const [what, bytes] of badFiles(face)) {
      cases.push({
        route: 'PUT /api/v3/uploads/{image_id}',
        what: `raw body: ${what}`,
        request: { method: 'PUT', url: uploadUrl, headers: { 'content-type': 'image/jpeg' }, payload: bytes },
      });
    }
    cases.push({
      route: 'PUT /api/v3/uploads/{image_id}',
      what: 'a tampered signature',
      request: {
        method: 'PUT',
        url: uploadUrl.replace(/signature=[^&]+/, 'signature=forged'),
        headers: { 'content-type': 'image/jpeg' },
        payload: face,
      },
    });
    assert.ok(cases.length >= 300, `only ${cases.length} cases`);
    const routes = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    );
    assert.deepEqual(new Set(cases.map((c) => c.route)), routes, 'every route of the document has cases');
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of cases) {
      const r = await t.app.inject(c.request);
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      let body: Record<string, unknown> | undefined;
      try {
        body = r.json();
      } catch {
        body = undefined;
      }
      const envelope = c.route.includes(' /api/portrait/')
        ? isAilabEnvelope(body, r.statusCode)
        : body &&
          typeof body.code === 'string' &&
          typeof body.message === 'string' &&
          typeof body.details === 'object' &&
          body.details !== null;
      if (r.statusCode < 400 || r.statusCode >= 500 || !envelope) {
        failures.push(`${c.route} with ${c.what}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      }
    }
    ctx.diagnostic(
      `${cases.length} cases over ${routes.size} routes; statuses ${[...statuses].map(([s, n]) => `${s}x${n}`).join(' ')}`,
    );
    assert.deepEqual(
      failures,
      [],
      `${failures.length} of ${cases.length} bad requests were not a 4xx envelope`,
    );
    assert.equal([...statuses.keys()].filter((s) => s >= 500).length, 0);
  });

  test('afterwards the server still takes a good upload and serves it', async () => {
    const auth = { authorization: `Bearer ${tokens.a}` };
    const url = `/api/v1/companies/${t.a.companyId}/datasets/${ids.dataset_id}/subjects/${ids.subject_id}/images/`;
    const r = await t.app.inject({
      method: 'POST',
      url,
      headers: auth,
      payload: { b64data: face.toString('base64') },
    });
    assert.equal(r.statusCode, 201, r.body);
    const file = await t.app.inject({ method: 'GET', url: `/images/${r.json().id}.jpg`, headers: auth });
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload.subarray(0, 3), face.subarray(0, 3));
  });
});
