import pg from "pg";

/**
 * Query types for reading feature rows: bigint as a JS number (feature integers are within 2^53; pg's default
 * is a string). Timestamps stay Dates and become ISO strings in `cellValue`.
 */
export const featureTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export type Cell = number | string | boolean | null;

/** A value as read from a feature column: Dates as ISO strings, the rest as pg returns them with `featureTypes`. */
export function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}
