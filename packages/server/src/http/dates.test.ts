import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../errors.ts';
import { parseDateTime } from './dates.ts';

test('ISO-8601 date-times and dates parse to epoch milliseconds, zones applied', () => {
  assert.equal(parseDateTime('2030-12-31T23:59:59Z', 'f'), Date.UTC(2030, 11, 31, 23, 59, 59));
  assert.equal(parseDateTime('2030-12-31T23:59:59.250+02:00', 'f'), Date.UTC(2030, 11, 31, 21, 59, 59, 250));
  assert.equal(parseDateTime('2023-04-17T16:10:17.350Z', 'f'), Date.UTC(2023, 3, 17, 16, 10, 17, 350));
  assert.equal(parseDateTime('2024-02-29', 'f'), Date.UTC(2024, 1, 29));
  assert.equal(parseDateTime('2024-02-29 10:00', 'f'), Date.UTC(2024, 1, 29, 10));
});

test('times the calendar does not have are a 400 naming the field', () => {
  for (const bad of [
    '2030-12-31T23:59:60Z',
    '2023-02-29',
    '2030-02-30T00:00:00Z',
    '2030-04-31',
    '2030-00-10',
    '2030-01-01T24:00:00Z',
    '2030-01-01T10:60:00Z',
    '2030-01-01T10:00:00+25:00',
    '0999-01-01',
    '2030-1-1',
    '',
    'now',
    '2030-01-01T10:00:00Zjunk',
  ]) {
    assert.throws(
      () => parseDateTime(bad, 'body.when'),
      (e: unknown) => e instanceof ApiError && e.status === 400 && e.details.field === 'body.when',
      bad,
    );
  }
});
