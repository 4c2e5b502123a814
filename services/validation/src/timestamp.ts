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

function parseOffsetMinutes(offset: string): number | undefined {
  if (offset === "Z") return 0;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  const sign = offset.startsWith("-") ? -1 : 1;
  return sign * (hours * 60 + minutes);
}
