import { ApiError } from '../errors.ts';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses an ISO-8601 date-time (RFC 3339; a missing zone is UTC) or a date (midnight UTC) into
 * milliseconds since the epoch. Anything else, including times the calendar does not have (a leap
 * second `23:59:60`, February 30, hour 24), is a 400 `validation_error` naming `field`.
 */
export function parseDateTime(value: string, field: string): number {
  const bad = () =>
    new ApiError('validation_error', `${field} must be an ISO-8601 date-time such as 2030-12-31T23:59:59Z`, {
      field,
    });
  const m = DATE_TIME.exec(value) ?? DATE.exec(value);
  if (!m) throw bad();
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((p) => Number(p ?? 0));
  if (
    year! < 1000 ||
    month! < 1 ||
    month! > 12 ||
    day! < 1 ||
    day! > daysIn(year!, month!) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw bad();
  const zone = m[8];
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const h = Number(z[2]);
    const mm = Number(z[3]);
    if (h > 23 || mm > 59) throw bad();
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  const fraction = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  const ms = Date.UTC(year!, month! - 1, day!, hour, minute, second, fraction) - offsetMinutes * 60_000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw bad();
  return ms;
}
