import pg from "pg";

/**
 * Query types for reading feature rows: bigint as a JS number (feature integers are within 2^53; pg's default
 * is a string). Timestamps stay Dates and become ISO strings in `cellValue`.
 */
export const featureTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** PostgreSQL's text form of a timestamptz in a UTC session: "2012-01-01 00:00:00+00", maybe with a fraction. */
const UTC_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/** A timestamptz as an ISO string without a Date in between; anything unexpected goes through Date. */
export function utcTimestampText(text: string): string {
  const match = UTC_TEXT.exec(text);
  if (!match) return new Date(text).toISOString();
  const [, day, time, fraction = ""] = match;
  return `${day}T${time}.${fraction.padEnd(3, "0").slice(0, 3)}Z`;
}

/**
 * Query types for exports, whose transaction sets its time zone to UTC: bigint as a number and timestamptz
 * straight to an ISO string (parsing every timestamp into a Date and back costs more than the query).
 */
export const exportTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.INT8) return Number;
    if (oid === pg.types.builtins.TIMESTAMPTZ) return utcTimestampText;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export type Cell = number | string | boolean | null;

/** A value as read from a feature column: Dates as ISO strings, the rest as pg returns them with `featureTypes`. */
export function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}
