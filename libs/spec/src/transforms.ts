import { durationMillis, type TransformSpec } from "./schema.ts";

/**
 * The one implementation of the spec's row transforms, used by the feature store (datePart and ratio when rows are
 * written), monitoring, serving and the CLI; the window transforms (lag, rollingMean) are in entityWindows.ts.
 * Conventions, in UTC: month 1-12, dayOfYear 1-366, dayOfWeek 0 (Sunday) to 6 (Saturday), hour 0-23.
 */

export type DatePart = Extract<TransformSpec, { kind: "datePart" }>["part"];
export type CellValue = string | number | boolean | null;

/** A value of one row that a transform or a timestamp column cannot use. */
export class RowValueError extends Error {
  override name = "RowValueError";
}

/** `toISOString()` form, which validation writes: read as it is, the common case kept fast. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/**
 * An ISO 8601 date or datetime as epoch milliseconds; one without an offset is UTC, never the host's time zone,
 * so the result does not depend on where the service runs. undefined when it is not one.
 */
export function parseUtcMillis(text: string): number | undefined {
  // A row names the same time several times (event time, a timestamp feature, a datePart's input): one entry
  // of memory saves most of the parsing.
  if (text === lastParsed.text) return lastParsed.millis;
  const millis = parseUncached(text);
  lastParsed = { text, millis };
  return millis;
}

let lastParsed: { text: string; millis: number | undefined } = { text: "", millis: undefined };

function parseUncached(text: string): number | undefined {
  const trimmed = text.trim();
  let iso: string;
  if (ISO_UTC.test(trimmed)) iso = trimmed;
  else if (DATE_ONLY.test(trimmed)) iso = `${trimmed}T00:00:00Z`;
  else if (DATE_TIME.test(trimmed)) iso = HAS_OFFSET.test(trimmed) ? trimmed : `${trimmed}Z`;
  else return undefined;
  const millis = Date.parse(iso.replace(" ", "T"));
  return Number.isNaN(millis) || !isCalendarDay(trimmed) ? undefined : millis;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Date.parse takes 2012-02-30 for 2012-03-01; this checks the written day exists. */
function isCalendarDay(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day >= 1 && day <= days;
}

/** A timestamp cell as an ISO string in UTC; null stays null. */
export function normalizeTimestamp(value: unknown, column: string): string | null {
  if (value === null || value === undefined) return null;
  // a row's event time is usually also one of its timestamp columns: the second call costs a comparison
  if (lastNormalized !== undefined && value === lastNormalized.text) return lastNormalized.iso;
  const millis = typeof value === "string" ? parseUtcMillis(value) : undefined;
  if (millis === undefined) {
    throw new RowValueError(`column "${column}": ${JSON.stringify(value)} is not an ISO 8601 date or datetime`);
  }
  // already in toISOString() form: kept as it is, without a round trip through Date
  const iso = ISO_UTC.test(value as string) ? (value as string) : new Date(millis).toISOString();
  lastNormalized = { text: value as string, iso };
  return iso;
}

let lastNormalized: { text: string; iso: string } | undefined;

/** A cell of a timestamp column (ISO text, epoch milliseconds or a Date) as epoch milliseconds; undefined when not one. */
export function timestampMillis(value: unknown): number | undefined {
  if (typeof value === "string") return parseUtcMillis(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  return undefined;
}

export function datePart(millis: number, part: DatePart): number {
  const date = new Date(millis);
  switch (part) {
    case "year":
      return date.getUTCFullYear();
    case "month":
      return date.getUTCMonth() + 1;
    case "dayOfYear":
      return Math.floor((millis - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    case "dayOfWeek":
      return date.getUTCDay();
    case "hour":
      return date.getUTCHours();
  }
}

/** numerator / denominator; null when either is missing or the denominator is 0. */
export function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return numerator / denominator;
}

function numberOrNull(value: unknown, transform: string, column: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new RowValueError(`transform "${transform}": column "${column}" is ${JSON.stringify(value)}, not a number`);
}

/** The value of one datePart or ratio transform, reading its inputs through `read`. */
export function scalarTransformValue(transform: TransformSpec, read: (column: string) => unknown): CellValue {
  switch (transform.kind) {
    case "datePart": {
      const value = read(transform.from);
      if (value === null || value === undefined) return null;
      const millis = timestampMillis(value);
      if (millis === undefined) {
        throw new RowValueError(
          `transform "${transform.name}": column "${transform.from}" is ${JSON.stringify(value)}, not a timestamp`,
        );
      }
      return datePart(millis, transform.part);
    }
    case "ratio":
      return ratio(
        numberOrNull(read(transform.numerator), transform.name, transform.numerator),
        numberOrNull(read(transform.denominator), transform.name, transform.denominator),
      );
    default:
      throw new Error(`transform "${transform.name}" (${transform.kind}) reads earlier rows, not one row`);
  }
}

/**
 * The outputs of `transforms` (datePart and ratio only) for one row, in order, so a transform may read an earlier
 * one's output. Timestamps in `row` are ISO strings (or epoch milliseconds).
 */
export function writeTransformValues(
  row: Readonly<Record<string, unknown>>,
  transforms: readonly TransformSpec[],
): Record<string, CellValue> {
  const outputs: Record<string, CellValue> = {};
  const read = (column: string) => (column in outputs ? outputs[column] : row[column]);
  for (const transform of transforms) outputs[transform.name] = scalarTransformValue(transform, read);
  return outputs;
}

export function isWindowTransform(
  transform: TransformSpec,
): transform is Extract<TransformSpec, { kind: "lag" | "rollingMean" }> {
  return transform.kind === "lag" || transform.kind === "rollingMean";
}

/** The columns a transform reads. */
export function transformInputs(transform: TransformSpec): string[] {
  switch (transform.kind) {
    case "datePart":
      return [transform.from];
    case "ratio":
      return [transform.numerator, transform.denominator];
    case "lag":
    case "rollingMean":
      return [transform.column];
  }
}

/** Transform outputs that depend on earlier rows (lags, rolling means, and anything computed from them). */
export function historyColumns(spec: { transforms: readonly TransformSpec[] }): Set<string> {
  const history = new Set<string>();
  for (const transform of spec.transforms) {
    if (isWindowTransform(transform)) history.add(transform.name);
    else if (transformInputs(transform).some((input) => history.has(input))) history.add(transform.name);
  }
  return history;
}

/** How far a lag or rolling mean looks back: a count of rows, or a duration in milliseconds. */
export function windowSpan(
  transform: Extract<TransformSpec, { kind: "lag" | "rollingMean" }>,
): { rows: number } | { millis: number } {
  const value = transform.kind === "lag" ? transform.lag : transform.window;
  const millis = durationMillis(value);
  return millis === undefined ? { rows: value as number } : { millis };
}

/**
 * How many distinct earlier event times the window transforms of one row can reach: each lag or rolling window
 * looks back at most k rows, so at most k event times, and a transform over another adds their reaches. The online
 * history of an entity keeps the rows of this many latest event times. A time window (a duration) reaches an
 * unbounded number of rows: with one, the depth is +∞ and every reader keeps or reads the entity's whole history
 * before the asked time (correct; bounding by a duration reach is not done yet).
 */
export function historyDepth(transforms: readonly TransformSpec[]): number {
  let depth = 0;
  for (const transform of transforms) {
    if (!isWindowTransform(transform)) continue;
    const span = windowSpan(transform);
    depth += "rows" in span ? span.rows : Number.POSITIVE_INFINITY;
  }
  return depth;
}
