/**
 * An ISO 8601 date, or date and time ("T" or a space) with optional seconds, fraction and offset. Groups: date,
 * time, offset.
 */
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Milliseconds since the epoch of an ISO 8601 date or datetime, or undefined when the value is not one (or
 * names a day that does not exist, like 2023-02-30). Dates and datetimes without an offset are UTC, never the
 * host's local time. Whether the values are good is validation's question; ingestion only reads the range.
 */
export function eventTimeMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const canonical = canonicalUtcMs(value);
  if (canonical !== undefined) return canonical;
  const match = ISO_8601.exec(value.trim());
  if (match === null) return undefined;
  const [, date = "", time = "00:00", offset = "Z"] = match;
  const colonOffset = offset === "Z" || offset.includes(":") ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(`${date}T${time.replace(",", ".")}${colonOffset}`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2023-02-30 over into March; the calendar day must survive the round trip.
  return new Date(Date.parse(`${date}T00:00Z`)).getUTCDate() === Number(date.slice(8)) ? ms : undefined;
}

const CANONICAL_SHAPE = "dddd-dd-ddTdd:dd:dd.dddZ";

/**
 * The time of a value in toISOString() form (2012-01-31T08:00:00.000Z), the way most producers write times, on
 * a day from the 1st to the 28th, which exists in every month: Date.parse alone then gives what the general path
 * gives, without its regex and calendar check. undefined for every other value, which takes the general path.
 */
function canonicalUtcMs(value: string): number | undefined {
  if (value.length !== CANONICAL_SHAPE.length) return undefined;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const shape = CANONICAL_SHAPE.charCodeAt(i);
    if (shape === 100 /* d */ ? code < 48 || code > 57 : code !== shape) return undefined;
  }
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > 28) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Earliest and latest event time of a batch, as ISO strings; both null when no row had a readable one. */
export interface EventTimeRange {
  eventTimeMin: string | null;
  eventTimeMax: string | null;
}

/** Folds event times in one at a time. */
export class EventTimeSpan {
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  add(value: unknown): void {
    const ms = eventTimeMs(value);
    if (ms === undefined) return;
    if (ms < this.#min) this.#min = ms;
    if (ms > this.#max) this.#max = ms;
  }

  range(): EventTimeRange {
    if (this.#min > this.#max) return { eventTimeMin: null, eventTimeMax: null };
    return { eventTimeMin: new Date(this.#min).toISOString(), eventTimeMax: new Date(this.#max).toISOString() };
  }
}
