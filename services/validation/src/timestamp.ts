/**
 * ISO 8601 calendar date, optionally with a time ("T" or a space), optional seconds and fraction,
 * and an optional "Z" or ±hh:mm / ±hhmm offset. Groups: year, month, day, hour, minute, second,
 * fraction, offset.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads an ISO 8601 date or datetime and returns it as a UTC ISO string (`toISOString()` form), or
 * undefined when it is not one or names a day or time that does not exist (2023-02-30, 25:00).
 * A date or datetime without an offset is taken as UTC, never as the host's local time, so the
 * result does not depend on where the service runs. Fractions finer than milliseconds are truncated.
 */
export function parseIsoTimestamp(text: string): string | undefined {
  if (isCanonicalUtc(text)) return text;
  const match = ISO_8601.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", offset = "Z"] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const millis = Number(fraction.padEnd(3, "0").slice(0, 3));
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s, millis));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts the year back.
  local.setUTCFullYear(y);
  if (local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d) return undefined;
  const offsetMinutes = parseOffsetMinutes(offset);
  if (offsetMinutes === undefined) return undefined;
  return new Date(local.getTime() - offsetMinutes * 60_000).toISOString();
}

/**
 * Whether the text is already what this module returns, `toISOString()` form (2012-01-31T08:00:00.000Z) of a
 * real day and time. Most batches write times this way; checking the digits is far cheaper than the regex and
 * two Dates of the general path.
 */
function isCanonicalUtc(text: string): boolean {
  if (text.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const code = text.charCodeAt(i);
    const expected = CANONICAL_SHAPE.charCodeAt(i);
    if (expected === DIGIT ? code < 48 || code > 57 : code !== expected) return false;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return digits(text, 11, 2) <= 23 && digits(text, 14, 2) <= 59 && digits(text, 17, 2) <= 59;
}

const DIGIT = 100; // "d" in the shape below
const CANONICAL_SHAPE = "dddd-dd-ddTdd:dd:dd.dddZ";
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

function parseOffsetMinutes(offset: string): number | undefined {
  if (offset === "Z") return 0;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  const sign = offset.startsWith("-") ? -1 : 1;
  return sign * (hours * 60 + minutes);
}
